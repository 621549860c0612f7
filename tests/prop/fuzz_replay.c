/*
 * fuzz_replay.c - run a libFuzzer target's LLVMFuzzerTestOneInput() on
 * saved inputs, without libFuzzer: how make test replays the corpora
 * (tests/corpus/TARGET/, and tests/corpus/regress-TARGET/, the inputs
 * that once crashed a target, kept after the fix) in both builds.
 *
 *   replay-TARGET PATH...   each PATH a file or a directory of files
 *
 * A target reports a failure by crashing or aborting, as under libFuzzer;
 * this driver prints the input's name first, so that the log says which.
 * Exit 0 when every input ran, 2 when a path cannot be read.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole file at path, malloc()ed; NULL with a message. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		uint8_t *p;

		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			p = realloc(b, cap);
			if (!p) {
				fprintf(stderr, "replay: %s: out of memory\n", path);
				free(b);
				fclose(f);
				return NULL;
			}
			b = p;
		}
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = n;
	return b;
}

static int run_file(const char *path)
{
	size_t len;
	uint8_t *b = slurp(path, &len);

	if (!b)
		return -1;
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(b, len);
	free(b);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order. */
static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int err = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char *path;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		path = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!path)
			abort();
		sprintf(path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[n++] = path;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (!err && run_file(names[i]))
			err = -1;
		free(names[i]);
	}
	free(names);
	*count += (unsigned)n;
	return err;
}

int main(int argc, char **argv)
{
	unsigned count = 0;

	if (argc < 2) {
		fputs("usage: replay-TARGET FILE|DIR...\n", stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count)
					: (count++, run_file(argv[i])))
			return 2;
	}
	printf("replay: %u inputs, none crashed\n", count);
	return 0;
}
