/* pidtab.c - the one piece of state pidtab.h needs out of line. */
#include "pidtab.h"

_Thread_local struct ps_mem *ps_pidtab_mem;
