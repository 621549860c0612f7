/*
 * image.h - the image format's fixed sizes, for the codec (image.c).  The
 * codec is public (pidsim_image.h); the layout is docs/image-format.md.
 */
#ifndef PS_IMAGE_H
#define PS_IMAGE_H

#include <stddef.h>

#include "pidsim_image.h"

/* The header's fields, by byte offset (docs/image-format.md, "Header"):
 * 32-bit but for the 64-bit size and the name. */
enum {
	HDR_MAGIC = 0,		/* 8 bytes */
	HDR_VERSION = 8,
	HDR_HEADER_SIZE = 12,
	HDR_SIZE = 16,		/* 64-bit */
	HDR_FLAGS = 24,
	HDR_PID_MAX = 28,
	HDR_CONTAINERS = 32,
	HDR_TASKS = 36,
	HDR_OWNERS = 40,
	HDR_NUMBERS = 44,
	HDR_DESIGN = 48,	/* PIDSIM_IMAGE_DESIGN_LEN bytes, NUL-padded */
	HDR_REAPED = 64,	/* version 2: reaped leaders */
	HDR_RESERVED = 68,	/* version 2: 0 */
};

/* A container record's fields, and a task record's (its numbers follow
 * it, 32-bit each). */
enum { CT_PARENT = 0, CT_INIT = 4, CT_CURSOR = 8, CT_HINT = 12 };
enum { TASK_PARENT = 0, TASK_CT = 4, TASK_STATE = 8, TASK_NR_NUMBERS = 10,
       TASK_EXIT_STATUS = 12, TASK_PGRP = 16, TASK_SESSION = 20 };
/* A reaped leader's record (version 2); its numbers follow it. */
enum { REAPED_CT = 0, REAPED_NR_NUMBERS = 4, REAPED_RESERVED = 6 };

/* Fixed sizes of the format, in bytes: version 1's, and where version 2
 * differs. */
#define PS_IMG_HEADER PIDSIM_IMAGE_HEADER_SIZE
#define PS_IMG_HEADER_V2 72
#define PS_IMG_CONTAINER 16
#define PS_IMG_TASK 16		/* plus 4 per number */
#define PS_IMG_TASK_V2 24	/* plus 4 per number */
#define PS_IMG_REAPED 8		/* plus 4 per number */
#define PS_IMG_OWNER 4
#define PS_IMG_TRAILER 4

/*
 * Encode img, which the caller built consistent (a checkpoint), into a
 * malloc()ed buffer: 0, -EFBIG past the PIDSIM_IMAGE_MAX_* limits, or
 * -ENOMEM.  img->version and img->size are ignored.
 */
int ps_image_encode(const struct pidsim_image *img, void **buf, size_t *len);

#endif
