// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: the xdpong CLI entry point. Each subcommand lives in its own
 * cmd_*.c file and is listed once, in commands[] below.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const struct command *const commands[] = {
	&cmd_attach,
	&cmd_detach,
	&cmd_status,
	&cmd_stats,
	&cmd_rtt,
	&cmd_pingers,
	&cmd_watch,
	&cmd_events,
	&cmd_set,
	&cmd_sync,
	&cmd_track,
	&cmd_serve,
	&cmd_run,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: xdpong [-v] COMMAND [options] [IFACE]\n\n"
		     "Answers ICMP/ICMPv6 echo requests in XDP and counts ICMP traffic.\n\n"
		     "Commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-8s %-8s %s\n", commands[i]->name, commands[i]->args,
			commands[i]->summary);
	fprintf(out, "\nGlobal options:\n"
		     "  -v, --verbose   show libbpf and libxdp messages\n"
		     "  -h, --help      show this help (COMMAND --help: the command's)\n"
		     "  -V, --version   show the version\n"
		     "\nSee xdpong(8).\n");
}

int main(int argc, char **argv)
{
	const char *iface = NULL;
	int ifindex = 0, i = 1, ret;
	size_t c;

	log_init();
	/* Global options come before the command. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("xdpong %s\n", XDPONG_VERSION);
			return EXIT_OK;
		} else {
			log_error("unknown option '%s'", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	for (c = 0; c < N_COMMANDS; c++)
		if (!strcmp(argv[i], commands[c]->name))
			break;
	if (c == N_COMMANDS) {
		log_error("unknown command '%s'", argv[i]);
		usage(stderr);
		return EXIT_USAGE;
	}

	ret = parse_command(commands[c], argc - i, argv + i, &iface, &ifindex);
	if (ret != PARSED_RUN)
		return ret; /* --help, or an error already reported */
	setup_library_logging();
	return commands[c]->run(iface, ifindex);
}
