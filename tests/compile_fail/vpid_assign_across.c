/*
 * An internal pid stored where a virtual pid is kept, without a
 * conversion: the "stored pid read in the wrong context" bug.  It must not
 * compile.  With -DPS_CONTROL the conversion is made and it must compile.
 */
#include "vpid.h"

ps_vpid keep_owner(struct pidsim_kernel *k, const struct ps_container *ct,
		   ps_ipid p);

ps_vpid keep_owner(struct pidsim_kernel *k, const struct ps_container *ct,
		   ps_ipid p)
{
#ifdef PS_CONTROL
	ps_vpid v = ps_pid_to_vpid(k, ct, p);
#else
	ps_vpid v = p;
	(void)k;
	(void)ct;
#endif
	return v;
}
