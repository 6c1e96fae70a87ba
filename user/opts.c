// SPDX-License-Identifier: GPL-2.0
/*
 * opts.c: table-driven option parsing. A command declares each option once
 * (struct opt); the table gives getopt_long() parsing, --help and value
 * validation together.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define MAX_OPTS 64

/* Every option @cmd takes: its own table, then those of other commands it
 * shares (run takes attach's and serve's). Returns how many. */
static int all_opts(const struct command *cmd, const struct opt *all[MAX_OPTS])
{
	const struct opt *const *t;
	const struct opt *o;
	int n = 0;

	for (o = cmd->opts; o && o->name; o++)
		if (n < MAX_OPTS)
			all[n++] = o;
		else
			goto too_many;
	for (t = cmd->more_opts; t && *t; t++)
		for (o = *t; o->name; o++)
			if (n < MAX_OPTS)
				all[n++] = o;
			else
				goto too_many;
	return n;
too_many:
	/* A programming error, not the user's: never drop options silently. */
	log_error("internal error: '%s' takes more than %d options", cmd->name, MAX_OPTS);
	abort();
}

/* Whether all[k]'s short name belongs to an option before it (a table shared
 * by commands, as events' --output-backups -k beside run's --keep-attached -k):
 * the first one has it, the later is long only. */
static bool short_taken(const struct opt *const all[], int k)
{
	int i;

	for (i = 0; i < k; i++)
		if (all[i]->short_name == all[k]->short_name)
			return true;
	return false;
}

/* getopt_long()'s value for a long option: its place, past every char. */
#define LONG_VAL(n) (0x100 + (n))

static int set_value(const struct opt *o, const char *arg)
{
	char *end;
	unsigned long v;
	int i;

	switch (o->type) {
	case OPT_FLAG:
		*(bool *)o->dest = true;
		return 0;
	case OPT_UINT:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (errno || !*arg || *end || arg[0] == '-' || v > o->max) {
			log_error("--%s: '%s' is not a whole number from 0 to %u", o->name, arg, o->max);
			return -1;
		}
		*(unsigned int *)o->dest = v;
		return 0;
	case OPT_ENUM:
		for (i = 0; o->choices[i]; i++) {
			if (!strcmp(arg, o->choices[i])) {
				*(int *)o->dest = i;
				return 0;
			}
		}
		log_error("--%s: '%s' is not one of: %s", o->name, arg, o->metavar);
		return -1;
	case OPT_SECONDS: {
		double d;

		errno = 0;
		d = strtod(arg, &end);
		if (errno || !*arg || *end || !(d >= SECONDS_MIN) || d > o->max) {
			log_error("--%s: '%s' is not a number of seconds from %g to %u", o->name, arg,
			    SECONDS_MIN, o->max);
			return -1;
		}
		*(double *)o->dest = d;
		return 0;
	}
	case OPT_STRING: {
		struct str_list *l = o->dest;

		if (l->n >= MAX_STRINGS) {
			log_error("--%s: at most %d times", o->name, MAX_STRINGS);
			return -1;
		}
		l->v[l->n++] = arg;
		return 0;
	}
	case OPT_ADDR: {
		struct addr_list *l = o->dest;

		if (l->n >= MAX_EXTRA_ADDRS) {
			log_error("--%s: at most %d addresses", o->name, MAX_EXTRA_ADDRS);
			return -1;
		}
		if (addr_parse(arg, &l->addrs[l->n])) {
			log_error("--%s: '%s' is not a unicast IPv4 or IPv6 address", o->name, arg);
			return -1;
		}
		l->n++;
		return 0;
	}
	}
	return -1;
}

void print_command_usage(const struct command *cmd, FILE *out)
{
	const struct opt *all[MAX_OPTS], *o;
	char left[48];
	int n = all_opts(cmd, all), k;

	fprintf(out, "Usage: xdpong %s [options] %s\n\n%s\n\nOptions:\n",
		cmd->name, cmd->args, cmd->summary);
	for (k = 0; k < n; k++) {
		o = all[k];
		if (short_taken(all, k))
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(out, "  %-30s %s", left, o->help);
		if (o->type == OPT_SECONDS)
			fprintf(out, "; from %g to %u", SECONDS_MIN, o->max);
		fputc('\n', out);
	}
	fprintf(out, "  %-30s %s\n", "-h, --help", "show this help");
	if (cmd->notes)
		fprintf(out, "\n%s\n", cmd->notes);
}

/*
 * Returns PARSED_RUN to go on and run the command, or an exit code: EXIT_OK
 * after --help, EXIT_USAGE/EXIT_NODEV after an error it has reported.
 */
int parse_command(const struct command *cmd, int argc, char **argv,
		  const char **iface, int *ifindex)
{
	struct option longopts[MAX_OPTS + 2] = {};
	char shortopts[2 * MAX_OPTS + 2] = "h";
	const struct opt *all[MAX_OPTS], *o;
	int n_all = all_opts(cmd, all), n, c, i, k, ret;

	for (n = 0; n < n_all; n++) {
		o = all[n];
		longopts[n].name = o->name;
		longopts[n].has_arg = o->type == OPT_FLAG ? no_argument : required_argument;
		longopts[n].val = LONG_VAL(n);
		if (!short_taken(all, n))
			snprintf(shortopts + strlen(shortopts), 3, "%c%s", o->short_name,
				 o->type == OPT_FLAG ? "" : ":");
	}
	longopts[n].name = "help";
	longopts[n].val = 'h';

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			print_command_usage(cmd, stdout);
			return EXIT_OK;
		}
		if (c == '?' || c == ':') {
			if (optopt)
				log_error("%s: option -%c needs a value or is unknown", cmd->name, optopt);
			else
				log_error("%s: unknown option '%s'", cmd->name, argv[optind - 1]);
			goto usage;
		}
		for (k = 0; k < n_all; k++) {
			if (c == LONG_VAL(k) || all[k]->short_name == c) {
				if (set_value(all[k], optarg))
					goto usage;
				break;
			}
		}
	}

	i = optind;
	if (cmd->ifaces) {
		/* IFACE...: the command resolves each itself. */
		for (; i < argc; i++) {
			if (cmd->ifaces->n >= MAX_STRINGS) {
				log_error("%s: at most %d interfaces", cmd->name, MAX_STRINGS);
				goto usage;
			}
			cmd->ifaces->v[cmd->ifaces->n++] = argv[i];
		}
		if (!cmd->ifaces->n) {
			log_error("%s: missing interface name", cmd->name);
			goto usage;
		}
		return PARSED_RUN;
	}
	if (i < argc && cmd->args[0])
		*iface = argv[i++];
	if (i < argc) {
		log_error("%s: unexpected argument '%s'", cmd->name, argv[i]);
		goto usage;
	}
	if (!*iface) {
		if (!cmd->iface_required)
			return PARSED_RUN;
		log_error("%s: missing interface name", cmd->name);
		goto usage;
	}
	ret = iface_resolve(*iface, ifindex);
	if (ret)
		return ret;
	return PARSED_RUN;

usage:
	fprintf(stderr, "Try 'xdpong %s --help'.\n", cmd->name);
	return EXIT_USAGE;
}
