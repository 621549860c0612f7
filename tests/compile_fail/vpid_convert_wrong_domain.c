/*
 * A virtual pid passed where the internal pid is meant: the bug the 2006
 * summary calls "confusing, hence dangerous".  It must not compile.
 * With -DPS_CONTROL the correct conversion is used and it must compile.
 */
#include "vpid.h"

ps_vpid pid_shown_to(struct pidsim_kernel *k, const struct ps_container *ct,
		     ps_vpid v);

ps_vpid pid_shown_to(struct pidsim_kernel *k, const struct ps_container *ct,
		     ps_vpid v)
{
#ifdef PS_CONTROL
	return ps_pid_to_vpid(k, ct, ps_vpid_to_pid(k, ct, v));
#else
	return ps_pid_to_vpid(k, ct, v);
#endif
}
