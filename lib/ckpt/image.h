/*
 * image.h - the image format's fixed sizes, for the codec (image.c).  The
 * codec is public (pidsim_image.h); the layout is docs/image-format.md.
 */
#ifndef PS_IMAGE_H
#define PS_IMAGE_H

#include <stddef.h>

#include "pidsim_image.h"

/* Fixed sizes of the format, in bytes. */
#define PS_IMG_HEADER PIDSIM_IMAGE_HEADER_SIZE
#define PS_IMG_CONTAINER 16
#define PS_IMG_TASK 16		/* plus 4 per number */
#define PS_IMG_OWNER 4
#define PS_IMG_TRAILER 4

/*
 * Encode img, which the caller built consistent (a checkpoint), into a
 * malloc()ed buffer: 0, -EFBIG past the PIDSIM_IMAGE_MAX_* limits, or
 * -ENOMEM.  img->version and img->size are ignored.
 */
int ps_image_encode(const struct pidsim_image *img, void **buf, size_t *len);

#endif
