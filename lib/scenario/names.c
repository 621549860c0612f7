/*
 * names.c - the names a scenario file may write instead of a
 * number: Linux's signal names, errno names, design flags, task states;
 * and the article a message puts before a word.
 *
 * Signal numbers are Linux's (x86, arm and most others), whatever the
 * machine running pidsim uses: the model is of Linux, and so is task.c.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "scenario.h"

static const char *const sig_names[] = {
	[1] = "HUP", [2] = "INT", [3] = "QUIT", [4] = "ILL", [5] = "TRAP",
	[6] = "ABRT", [7] = "BUS", [8] = "FPE", [9] = "KILL", [10] = "USR1",
	[11] = "SEGV", [12] = "USR2", [13] = "PIPE", [14] = "ALRM",
	[15] = "TERM", [16] = "STKFLT", [17] = "CHLD", [18] = "CONT",
	[19] = "STOP", [20] = "TSTP", [21] = "TTIN", [22] = "TTOU",
	[23] = "URG", [24] = "XCPU", [25] = "XFSZ", [26] = "VTALRM",
	[27] = "PROF", [28] = "WINCH", [29] = "IO", [30] = "PWR", [31] = "SYS",
	[34] = "RTMIN", [64] = "RTMAX",
};
#define NR_SIG_NAMES (sizeof sig_names / sizeof sig_names[0])

/* s[0..len) equals name, ignoring case. */
static bool name_eq(const char *s, size_t len, const char *name)
{
	size_t i;

	for (i = 0; i < len && name[i]; i++)
		if (toupper((unsigned char)s[i]) != toupper((unsigned char)name[i]))
			return false;
	return i == len && !name[i];
}

int sc_sig_number(const char *s, size_t len)
{
	if (len > 3 && name_eq(s, 3, "SIG")) {
		s += 3;
		len -= 3;
	}
	for (size_t i = 1; i < NR_SIG_NAMES; i++)
		if (sig_names[i] && name_eq(s, len, sig_names[i]))
			return (int)i;
	return -1;
}

const char *sc_sig_name(int sig)
{
	if (sig < 1 || (size_t)sig >= NR_SIG_NAMES)
		return NULL;
	return sig_names[sig];
}

/* The errno names are pidsim_errname()'s, so the two lists cannot drift
 * apart; errno values are small, and this runs only while parsing. */
int sc_errno_number(const char *s, size_t len)
{
	if (len < 2 || s[0] != 'E')
		return 0;
	for (int e = 1; e < 256; e++) {
		const char *name = pidsim_errname(e);

		if (strcmp(name, "E?") != 0 && strncmp(name, s, len) == 0 &&
		    name[len] == '\0')
			return e;
	}
	return 0;
}

/* Every design flag, in PIDSIM_DESIGN_FLAGS's order, 0-terminated. */
const unsigned sc_flags[] = {
#define PIDSIM_X(id, bit, name, meaning) bit,
	PIDSIM_DESIGN_FLAGS(PIDSIM_X)
#undef PIDSIM_X
	0,
};

const char *sc_state_name(int state)
{
	switch (state) {
	case PIDSIM_RUNNING: return "running";
	case PIDSIM_ZOMBIE: return "zombie";
	default: return "gone";
	}
}

/* "an" before a word that starts with a vowel ("an 'exit' result"),
 * "a" before the others. */
const char *sc_article(const char *word)
{
	return word && word[0] && strchr("aeiou", word[0]) ? "an" : "a";
}
