/* errname.c - errno names for transcripts and messages. */
#include <errno.h>

#include "pidsim.h"

const char *pidsim_errname(int err)
{
	/* -INT_MIN does not fit an int: compare the negative side. */
	switch (err > 0 ? -err : err) {
	case 0: return "OK";
	case -EPERM: return "EPERM";
	case -ENOENT: return "ENOENT";
	case -ESRCH: return "ESRCH";
	case -E2BIG: return "E2BIG";			/* pidsim_sc_opts.max_tasks */
	case -EBADF: return "EBADF";
	case -ECHILD: return "ECHILD";
	case -EAGAIN: return "EAGAIN";
	case -ENOMEM: return "ENOMEM";
	case -EEXIST: return "EEXIST";
	case -EINVAL: return "EINVAL";
	case -ENOSPC: return "ENOSPC";
	case -ERANGE: return "ERANGE";
	case -ENOSYS: return "ENOSYS";
	case -EOVERFLOW: return "EOVERFLOW";
	case -EOPNOTSUPP: return "EOPNOTSUPP";
	case -EBADMSG: return "EBADMSG";
	case -EPROTO: return "EPROTO";
	case -EFBIG: return "EFBIG";
	case -EUSERS: return "EUSERS";
	case -EIO: return "EIO";
	case -ETIMEDOUT: return "ETIMEDOUT";		/* pidsim_sc_opts.timeout_ms */
	case -ENOEXEC: return "ENOEXEC";			/* the image errors */
	case -ENODATA: return "ENODATA";
	case -EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case -EUCLEAN: return "EUCLEAN";
	default: return "E?";
	}
}
