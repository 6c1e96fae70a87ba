// SPDX-License-Identifier: GPL-2.0
/*
 * firewall.c: at attach, warn about the firewall rules that xdpong's answers
 * bypass.
 *
 * An echo request answered in XDP never reaches netfilter, so the rules on
 * the ingress, prerouting and input hooks no longer apply to it, nor a drop
 * policy there; and its reply, sent by XDP_TX, never passes the output,
 * postrouting and egress hooks that the kernel's own reply would. For each
 * base chain on those hooks, firewall_warn() follows the packet the kernel
 * would have seen (an IPv4 and an IPv6 echo request arriving on the
 * interface, the kernel's echo reply leaving it) through the chain's rules
 * and the chains they jump to, and prints one warning per finding:
 *
 *   - rules that match the packet and do more than accept it (drop, reject,
 *     limit, log, ...) and that mention ICMP;
 *   - a drop, by the policy or by a catch-all rule, that no rule before it
 *     accepts the packet from (the kernel would not have answered), or that
 *     only conditional rules do (the kernel would not have answered all);
 *
 * The same walk reads the iptables-legacy tables, which the kernel hands out
 * with the x_tables getsockopt()s.
 *
 * A match against a packet is YES, NO or MAYBE (it depends on what we don't
 * model: addresses, marks, ...), so the analysis errs on the side of
 * warning. Rules that don't mention ICMP (a blocklist of sources) are
 * bypassed too, but are not reported: the README says so.
 *
 * nftables, iptables-nft included, is read through libnftables, loaded with
 * dlopen() so that xdpong runs on hosts without nftables (there is no
 * nftables ruleset to bypass there). Without it, or when the ruleset can't
 * be read, nothing is said but one line with -v. The JSON output, with every
 * value numeric, drives the analysis; libnftables 1.0's JSON has neither the
 * devices of ingress chains nor the types of iptables-nft's icmp matches
 * ("xt"), so those, and the rules quoted in warnings, come from the text
 * output with handles.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h> /* before the linux/ headers, for libc-compat.h */
#include <netinet/in.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_packet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_state.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <nftables/libnftables.h>
#include "cli.h"

/* Say why the check was skipped, with -v only: it never stops attach. */
#define note(fmt, ...) do { if (verbose) log_error("firewall check: " fmt, ##__VA_ARGS__); } while (0)

enum tri { NO, MAYBE, YES };

static enum tri tri_and(enum tri a, enum tri b) { return a < b ? a : b; }
static enum tri tri_or(enum tri a, enum tri b) { return a > b ? a : b; }
static enum tri tri_not(enum tri a) { return YES - a; }

/* A packet the kernel would have seen: an echo request arriving on the
 * interface, or the kernel's echo reply leaving by it. */
struct probe {
	bool v6;
	bool reply;
};

static long probe_type(const struct probe *p)
{
	if (p->v6)
		return p->reply ? ICMPV6_ECHO_REPLY : ICMPV6_ECHO_REQUEST;
	return p->reply ? ICMP_ECHOREPLY : ICMP_ECHO;
}

/* A request opens a conntrack entry, the kernel's reply belongs to it. */
static long probe_ct_state(const struct probe *p)
{
	return p->reply ? NF_CT_STATE_BIT(IP_CT_ESTABLISHED) : NF_CT_STATE_BIT(IP_CT_NEW);
}

/* ---- The interface, and the devices above it (VLANs, bridge) ---- */

#define MAX_NAMES 16
struct names {
	char v[MAX_NAMES][IFNAMSIZ];
	unsigned int index[MAX_NAMES];
	int n;
	bool brport; /* a bridge port: the bridge family's hooks see it */
};

/* A request may arrive on the interface or, tagged or bridged, on a device
 * above it: the kernel's iif is any of them. */
static void add_names(struct names *n, const char *dev, int depth)
{
	char path[64 + IFNAMSIZ];
	struct dirent *d;
	DIR *dir;
	int i;

	for (i = 0; i < n->n; i++)
		if (!strcmp(n->v[i], dev))
			return;
	if (n->n == MAX_NAMES || strlen(dev) >= IFNAMSIZ)
		return;
	snprintf(n->v[n->n], IFNAMSIZ, "%s", dev);
	n->index[n->n++] = if_nametoindex(dev);
	snprintf(path, sizeof(path), "/sys/class/net/%s", dev);
	if (depth >= 3 || !(dir = opendir(path)))
		return;
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, "upper_", 6))
			add_names(n, d->d_name + 6, depth + 1);
	closedir(dir);
}

/* YES when the interface match @pattern (a name, "eth*", or an ifindex)
 * covers every device the packet may be on, NO when it covers none. */
static enum tri name_match(const struct names *n, json_object *pattern)
{
	int i, hits = 0;

	for (i = 0; i < n->n; i++) {
		if (json_object_is_type(pattern, json_type_int)) {
			hits += json_object_get_int64(pattern) == n->index[i];
		} else if (json_object_is_type(pattern, json_type_string)) {
			const char *s = json_object_get_string(pattern);
			size_t len = strlen(s);

			if (len && s[len - 1] == '*')
				hits += !strncmp(n->v[i], s, len - 1);
			else
				hits += !strcmp(n->v[i], s);
		} else {
			return MAYBE;
		}
	}
	return hits == 0 ? NO : hits == n->n ? YES : MAYBE;
}

/* ---- The ruleset ---- */

struct chain {
	json_object *obj;
	const char *family, *table, *name, *hook;
	json_object **rules; /* in order */
	size_t n_rules, cap;
};

struct ruleset {
	json_object *root;      /* `list ruleset`, JSON, numeric */
	json_object *chain_idx; /* "family table chain" -> index in chains */
	json_object *sets;      /* "family table set" -> its elements */
	json_object *text;      /* "family table chain handle" -> the rule as text;
				 * "family table chain" -> its devices, space-separated */
	struct chain *chains;
	size_t n_chains;
	struct names names;
};

static void key3(char *buf, size_t len, const char *family, const char *table, const char *name)
{
	snprintf(buf, len, "%s %s %s", family, table, name);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static struct chain *chain_find(const struct ruleset *rs, const char *family, const char *table,
				const char *name)
{
	char key[512];
	json_object *v;

	key3(key, sizeof(key), family, table, name);
	if (!json_object_object_get_ex(rs->chain_idx, key, &v))
		return NULL;
	return &rs->chains[json_object_get_int(v)];
}

/* Index the chains, their rules and the sets of the JSON ruleset. */
static int ruleset_index(struct ruleset *rs)
{
	json_object *list, *item;
	size_t i, n;
	char key[512];

	if (!json_object_object_get_ex(rs->root, "nftables", &list) ||
	    !json_object_is_type(list, json_type_array))
		return -EINVAL;
	n = json_object_array_length(list);
	rs->chains = calloc(n ? n : 1, sizeof(*rs->chains));
	rs->chain_idx = json_object_new_object();
	rs->sets = json_object_new_object();
	if (!rs->chains || !rs->chain_idx || !rs->sets)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *o;

		item = json_object_array_get_idx(list, i);
		if (json_object_object_get_ex(item, "chain", &o)) {
			struct chain *c = &rs->chains[rs->n_chains];

			c->obj = o;
			c->family = jstr(o, "family");
			c->table = jstr(o, "table");
			c->name = jstr(o, "name");
			c->hook = jstr(o, "hook");
			if (!c->family || !c->table || !c->name)
				continue;
			key3(key, sizeof(key), c->family, c->table, c->name);
			json_object_object_add(rs->chain_idx, key,
					       json_object_new_int((int)rs->n_chains++));
		} else if (json_object_object_get_ex(item, "rule", &o)) {
			struct chain *c = chain_find(rs, jstr(o, "family") ?: "", jstr(o, "table") ?: "",
						     jstr(o, "chain") ?: "");

			if (!c)
				continue;
			if (c->n_rules == c->cap) {
				size_t cap = c->cap ? 2 * c->cap : 16;
				json_object **r = realloc(c->rules, cap * sizeof(*r));

				if (!r)
					return -ENOMEM;
				c->rules = r;
				c->cap = cap;
			}
			c->rules[c->n_rules++] = o;
		} else if (json_object_object_get_ex(item, "set", &o) ||
			   json_object_object_get_ex(item, "map", &o)) {
			json_object *elem;

			if (!json_object_object_get_ex(o, "elem", &elem))
				elem = NULL;
			key3(key, sizeof(key), jstr(o, "family") ?: "", jstr(o, "table") ?: "",
			     jstr(o, "name") ?: "");
			json_object_object_add(rs->sets, key, elem ? json_object_get(elem)
								 : json_object_new_array());
		}
	}
	return 0;
}

static void ruleset_free(struct ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->n_chains; i++)
		free(rs->chains[i].rules);
	free(rs->chains);
	json_object_put(rs->chain_idx);
	json_object_put(rs->sets);
	json_object_put(rs->text);
	json_object_put(rs->root);
}

/* Strip nft's quotes from a name: "eth0" -> eth0. */
static void unquote(char *s)
{
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		memmove(s, s + 1, len - 2);
		s[len - 2] = 0;
	}
}

/* The devices of an ingress or egress chain, from its text:
 * "type filter hook ingress device "eth0" priority ..." or
 * "... devices = { eth0, eth1 } priority ...". */
static void text_devices(const char *line, char *out, size_t len)
{
	const char *p = strstr(line, " device ");
	char tok[IFNAMSIZ + 3];
	size_t n;

	out[0] = 0;
	if (p) {
		if (sscanf(p + 8, "%18s", tok) == 1) {
			unquote(tok);
			snprintf(out, len, "%s", tok);
		}
		return;
	}
	p = strstr(line, " devices = {");
	if (!p)
		return;
	for (p += 12; *p && *p != '}'; p += n) {
		n = strcspn(p, ", }");
		if (n && n < sizeof(tok)) {
			memcpy(tok, p, n);
			tok[n] = 0;
			unquote(tok);
			snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? " " : "", tok);
		}
		n += strspn(p + n, ", ");
		if (!n)
			break;
	}
}

/* Index the text output: rules by handle, the devices of base chains. */
static void text_index(struct ruleset *rs, const char *text)
{
	char family[16] = "", table[256] = "", chain[256] = "", key[1024];
	bool in_chain = false;
	const char *line, *end;

	rs->text = json_object_new_object();
	for (line = text; rs->text && *line; line = *end ? end + 1 : end) {
		char buf[4096], *h;
		size_t len;

		end = strchr(line, '\n') ?: line + strlen(line);
		len = (size_t)(end - line) < sizeof(buf) ? (size_t)(end - line) : sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = 0;
		if (!strncmp(buf, "table ", 6)) {
			if (sscanf(buf, "table %15s %255s", family, table) != 2)
				family[0] = table[0] = 0;
			in_chain = false;
		} else if (!strncmp(buf, "\tchain ", 7)) {
			h = strstr(buf, " {");
			if (h)
				*h = 0;
			snprintf(chain, sizeof(chain), "%.255s", buf + 7);
			unquote(chain);
			in_chain = true;
		} else if (!strcmp(buf, "\t}") || buf[0] != '\t') {
			in_chain = false;
		} else if (in_chain && strstr(buf, " hook ") && !strncmp(buf, "\t\ttype ", 7)) {
			char devs[256];

			text_devices(buf, devs, sizeof(devs));
			key3(key, sizeof(key), family, table, chain);
			json_object_object_add(rs->text, key, json_object_new_string(devs));
		} else if (in_chain && (h = strstr(buf, " # handle "))) {
			*h = 0;
			snprintf(key, sizeof(key), "%s %s %s %s", family, table, chain, h + 10);
			json_object_object_add(rs->text, key, json_object_new_string(buf + 2));
		}
	}
}

static const char *rule_text(const struct ruleset *rs, json_object *rule)
{
	char key[1024];
	json_object *v;

	snprintf(key, sizeof(key), "%s %s %s %s", jstr(rule, "family") ?: "",
		 jstr(rule, "table") ?: "", jstr(rule, "chain") ?: "", jstr(rule, "handle") ?: "");
	return rs->text && json_object_object_get_ex(rs->text, key, &v) ?
	       json_object_get_string(v) : NULL;
}

/* ---- Matching a packet ---- */

/* The state of a walk through the chains of one base chain for one packet. */
struct walk {
	const struct ruleset *rs;
	const struct probe *p;
	const struct chain *base;
	json_object *rules_hit;  /* the first rule that matches and does more than accept */
	json_object *drop_rule;  /* a catch-all rule that drops it */
	json_object *cond_accept; /* the first rule that accepts it under conditions */
	long steps;
};

/* Does @r (a value, a set, a range, "@set", a list of flags) contain @v? */
static enum tri has_num(const struct walk *w, const struct chain *c, json_object *r, long v,
			bool flags)
{
	json_object *o;
	enum tri t = NO;
	size_t i;

	switch (json_object_get_type(r)) {
	case json_type_int:
		return flags ? ((json_object_get_int64(r) & v) ? YES : NO)
			     : (json_object_get_int64(r) == v ? YES : NO);
	case json_type_array:
		for (i = 0; i < json_object_array_length(r) && t != YES; i++)
			t = tri_or(t, has_num(w, c, json_object_array_get_idx(r, i), v, flags));
		return t;
	case json_type_string: {
		const char *s = json_object_get_string(r);
		char key[512];

		if (s[0] != '@')
			return MAYBE;
		key3(key, sizeof(key), c->family, c->table, s + 1);
		return json_object_object_get_ex(w->rs->sets, key, &o) ? has_num(w, c, o, v, flags)
								       : MAYBE;
	}
	case json_type_object:
		if (json_object_object_get_ex(r, "set", &o))
			return has_num(w, c, o, v, flags);
		if (json_object_object_get_ex(r, "elem", &o) &&
		    json_object_object_get_ex(o, "val", &o))
			return has_num(w, c, o, v, flags);
		if (json_object_object_get_ex(r, "range", &o) &&
		    json_object_array_length(o) == 2 &&
		    json_object_is_type(json_object_array_get_idx(o, 0), json_type_int) &&
		    json_object_is_type(json_object_array_get_idx(o, 1), json_type_int))
			return json_object_get_int64(json_object_array_get_idx(o, 0)) <= v &&
			       v <= json_object_get_int64(json_object_array_get_idx(o, 1)) ? YES : NO;
		return MAYBE;
	default:
		return MAYBE;
	}
}

/* Interface names in a value, a set or "@set". */
static enum tri has_name(const struct walk *w, const struct chain *c, json_object *r)
{
	json_object *o;
	enum tri t = NO;
	size_t i;

	if (json_object_is_type(r, json_type_string) && json_object_get_string(r)[0] == '@') {
		char key[512];

		key3(key, sizeof(key), c->family, c->table, json_object_get_string(r) + 1);
		return json_object_object_get_ex(w->rs->sets, key, &o) ? has_name(w, c, o) : MAYBE;
	}
	if (json_object_is_type(r, json_type_object) && json_object_object_get_ex(r, "set", &o))
		r = o;
	if (json_object_is_type(r, json_type_array)) {
		for (i = 0; i < json_object_array_length(r) && t != YES; i++)
			t = tri_or(t, has_name(w, c, json_object_array_get_idx(r, i)));
		return t;
	}
	return name_match(&w->rs->names, r);
}

/*
 * One side of a comparison, @left, against @right. *gate is NO when the
 * packet doesn't have the header @left reads (nft adds that dependency
 * itself: "tcp dport 22" never matches ICMP, "!=" or not); *icmp is set
 * when @left reads ICMP (a type, a code) or selects the protocol.
 */
static enum tri eval_left(const struct walk *w, const struct chain *c, json_object *left,
			  json_object *right, enum tri *gate, bool *icmp)
{
	const struct probe *p = w->p;
	json_object *o;

	*gate = YES;
	if (!json_object_is_type(left, json_type_object))
		return MAYBE;
	if (json_object_object_get_ex(left, "payload", &o)) {
		const char *proto = jstr(o, "protocol"), *field = jstr(o, "field") ?: "";

		if (!proto)
			return MAYBE; /* raw payload */
		if (!strcmp(proto, "icmp") || !strcmp(proto, "icmpv6")) {
			if (p->v6 != !strcmp(proto, "icmpv6")) {
				*gate = NO;
				return NO;
			}
			*icmp = true;
			if (!strcmp(field, "type"))
				return has_num(w, c, right, probe_type(p), false);
			if (!strcmp(field, "code"))
				return has_num(w, c, right, 0, false);
			return MAYBE;
		}
		if (!strcmp(proto, "ip") || !strcmp(proto, "ip6")) {
			if (p->v6 != !strcmp(proto, "ip6")) {
				*gate = NO;
				return NO;
			}
			if (!strcmp(field, p->v6 ? "nexthdr" : "protocol")) {
				*icmp = true;
				return has_num(w, c, right, p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, false);
			}
			return MAYBE;
		}
		if (!strcmp(proto, "ether") || !strcmp(proto, "vlan"))
			return MAYBE;
		*gate = NO; /* a transport header other than ICMP, ARP, ... */
		return NO;
	}
	if (json_object_object_get_ex(left, "meta", &o)) {
		const char *key = jstr(o, "key") ?: "";

		if (!strcmp(key, "l4proto")) {
			*icmp = true;
			return has_num(w, c, right, p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, false);
		}
		if (!strcmp(key, "nfproto"))
			return has_num(w, c, right, p->v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, false);
		if (!strcmp(key, p->reply ? "oif" : "iif") || !strcmp(key, p->reply ? "oifname" : "iifname"))
			return has_name(w, c, right);
		if (!strcmp(key, "pkttype") && !p->reply)
			return has_num(w, c, right, PACKET_HOST, false);
		return MAYBE;
	}
	if (json_object_object_get_ex(left, "ct", &o)) {
		if (!strcmp(jstr(o, "key") ?: "", "state") && !json_object_object_get_ex(o, "dir", NULL))
			return has_num(w, c, right, probe_ct_state(p), true);
		return MAYBE;
	}
	if (json_object_object_get_ex(left, "concat", &o) && json_object_is_type(o, json_type_array)) {
		size_t i;

		for (i = 0; i < json_object_array_length(o) && *gate != NO; i++) {
			enum tri g;

			eval_left(w, c, json_object_array_get_idx(o, i), NULL, &g, icmp);
			*gate = tri_and(*gate, g);
		}
		return *gate == NO ? NO : MAYBE;
	}
	/* Bit operations ("tcp flags & (syn | ack)"): the header is the first operand's. */
	json_object_object_foreach(left, op, args) {
		if (op[0] && strchr("&|^<>", op[0]) && json_object_is_type(args, json_type_array) &&
		    json_object_array_length(args) > 0) {
			eval_left(w, c, json_object_array_get_idx(args, 0), NULL, gate, icmp);
			return *gate == NO ? NO : MAYBE;
		}
		if (!strcmp(op, "tcp option") || !strcmp(op, "sctp chunk") || !strcmp(op, "dccp option")) {
			*gate = NO;
			return NO;
		}
	}
	return MAYBE; /* fib, exthdr, socket, osf, rt, numgen, hash, ... */
}

static enum tri eval_match(const struct walk *w, const struct chain *c, json_object *m, bool *about)
{
	const char *op = jstr(m, "op") ?: "==";
	json_object *left, *right;
	bool icmp = false;
	enum tri gate, t;

	if (!json_object_object_get_ex(m, "left", &left) || !json_object_object_get_ex(m, "right", &right))
		return MAYBE;
	t = eval_left(w, c, left, right, &gate, &icmp);
	if (gate == NO)
		return NO;
	if (!strcmp(op, "!="))
		t = tri_not(t);
	else if (strcmp(op, "==") && strcmp(op, "in"))
		t = tri_and(t, MAYBE); /* <, >, ... on what we model is rare: don't guess */
	if (t != NO && icmp)
		*about = true;
	return t;
}

/*
 * iptables-nft's icmp match is an "xt" expression in the JSON; the text,
 * which libxtables translates, has "icmp type echo-request", "icmp type !=
 * echo-request", nothing at all for --icmp-type any, or "xt match icmp"
 * when it can't translate (a type/code pair).
 */
static enum tri eval_xt_icmp(const struct walk *w, json_object *rule, bool *about)
{
	const char *text = rule_text(w->rs, rule), *s;
	const char *what = w->p->v6 ? "icmpv6 type " : "icmp type ";
	char tok[64], num[16];
	bool neg = false;

	*about = true;
	if (!text || strstr(text, "xt match"))
		return MAYBE;
	s = strstr(text, what);
	if (!s)
		return YES; /* any type */
	s += strlen(what);
	if (!strncmp(s, "!= ", 3)) {
		neg = true;
		s += 3;
	}
	if (sscanf(s, "%63s", tok) != 1)
		return MAYBE;
	snprintf(num, sizeof(num), "%ld", probe_type(w->p));
	if (!strcmp(tok, num) || !strcmp(tok, w->p->reply ? "echo-reply" : "echo-request"))
		return neg ? NO : YES;
	return neg ? YES : NO;
}

/* Rules looked at per base chain and packet: jumps could make it more than
 * the ruleset's size, and attach shouldn't take seconds. */
#define MAX_STEPS 1000000

/* What the walk does after a rule: go on, or end the chain with a verdict. */
enum flow { GO_ON, ACCEPTED, DROPPED, RETURNED };

static enum flow walk_chain(struct walk *w, const struct chain *c, int depth);

static void hit(json_object **slot, json_object *rule)
{
	if (!*slot)
		*slot = rule;
}

/* Apply the verdict @vkey (with @vval) of @rule, matched @m. */
static enum flow take_verdict(struct walk *w, const struct chain *c, json_object *rule,
			      const char *vkey, json_object *vval, enum tri m, bool about,
			      bool plain, int depth)
{
	bool accept = !strcmp(vkey, "accept"), drop = !strcmp(vkey, "drop") ||
		      !strcmp(vkey, "reject") || !strcmp(vkey, "queue");
	bool jump = !strcmp(vkey, "jump"), go = !strcmp(vkey, "goto");
	const struct chain *target;
	enum flow f;

	if (m == NO)
		return GO_ON;
	if (about && (!plain || drop))
		hit(&w->rules_hit, rule);
	if (accept) {
		if (m == YES)
			return ACCEPTED;
		hit(&w->cond_accept, rule);
	} else if (drop) {
		if (m == YES) {
			if (!about)
				hit(&w->drop_rule, rule);
			return DROPPED;
		}
	} else if (jump || go) {
		target = chain_find(w->rs, c->family, c->table, jstr(vval, "target") ?: "");
		if (!target || depth >= 16)
			return GO_ON; /* the kernel allows 16 levels */
		f = walk_chain(w, target, depth + 1);
		if (m == YES && (f == ACCEPTED || f == DROPPED))
			return f;
		if (m == YES && go)
			return RETURNED; /* back to the chain that jumped to this one */
	} else if (!strcmp(vkey, "return")) {
		if (m == YES)
			return RETURNED;
	}
	return GO_ON;
}

/* A verdict map: each element is a rule "key == element: verdict". */
static enum flow take_vmap(struct walk *w, const struct chain *c, json_object *rule,
			   json_object *vmap, enum tri m, bool about, bool plain, int depth)
{
	json_object *key, *data, *set;
	enum flow f = GO_ON;
	size_t i;

	if (!json_object_object_get_ex(vmap, "key", &key) || !json_object_object_get_ex(vmap, "data", &data))
		return GO_ON;
	if (json_object_is_type(data, json_type_string) && json_object_get_string(data)[0] == '@') {
		char k[512];

		key3(k, sizeof(k), c->family, c->table, json_object_get_string(data) + 1);
		if (!json_object_object_get_ex(w->rs->sets, k, &set))
			return GO_ON;
	} else if (!json_object_object_get_ex(data, "set", &set)) {
		return GO_ON;
	}
	for (i = 0; i < json_object_array_length(set) && f == GO_ON; i++) {
		json_object *pair = json_object_array_get_idx(set, i), *verdict;
		bool about_elem = about;
		enum tri me, gate;
		bool icmp = false;

		if (!json_object_is_type(pair, json_type_array) || json_object_array_length(pair) != 2)
			continue;
		verdict = json_object_array_get_idx(pair, 1);
		if (!json_object_is_type(verdict, json_type_object))
			continue;
		me = eval_left(w, c, key, json_object_array_get_idx(pair, 0), &gate, &icmp);
		if (icmp && me != NO)
			about_elem = true;
		json_object_object_foreach(verdict, vkey, vval)
			f = take_verdict(w, c, rule, vkey, vval, tri_and(m, me), about_elem, plain, depth);
	}
	return f;
}

static enum flow walk_rule(struct walk *w, const struct chain *c, json_object *rule, int depth)
{
	static const char *const verdicts[] = { "accept", "drop", "reject", "queue", "jump",
						"goto", "return", "continue", NULL };
	static const char *const conditions[] = { "limit", "quota", "ct count", "meter", NULL };
	json_object *expr;
	bool about = false, plain = true;
	enum tri m = YES;
	size_t i;
	int k;

	if (!json_object_object_get_ex(rule, "expr", &expr) || !json_object_is_type(expr, json_type_array))
		return GO_ON;
	for (i = 0; i < json_object_array_length(expr) && m != NO; i++) {
		json_object *e = json_object_array_get_idx(expr, i);

		if (!json_object_is_type(e, json_type_object))
			continue;
		json_object_object_foreach(e, key, val) {
			if (!strcmp(key, "match")) {
				m = tri_and(m, eval_match(w, c, val, &about));
				continue;
			}
			if (!strcmp(key, "vmap"))
				return take_vmap(w, c, rule, val, m, about, plain, depth);
			for (k = 0; verdicts[k]; k++)
				if (!strcmp(key, verdicts[k]))
					return take_verdict(w, c, rule, key, val, m, about, plain, depth);
			if (!strcmp(key, "xt")) {
				const char *type = jstr(val, "type") ?: "", *name = jstr(val, "name") ?: "";

				if (!strcmp(type, "match") && (!strcmp(name, "icmp") || !strcmp(name, "icmp6"))) {
					if (w->p->v6 != !strcmp(name, "icmp6"))
						m = NO;
					else
						m = tri_and(m, eval_xt_icmp(w, rule, &about));
				} else if (!strcmp(type, "match")) {
					m = tri_and(m, strcmp(name, "comment") ? MAYBE : YES);
				} else if (!strcmp(name, "REJECT")) {
					return take_verdict(w, c, rule, "reject", NULL, m, about, false, depth);
				} else {
					plain = false; /* LOG, NFLOG, MARK, ... */
				}
				continue;
			}
			if (!strcmp(key, "counter") || !strcmp(key, "notrack"))
				continue;
			for (k = 0; conditions[k]; k++)
				if (!strcmp(key, conditions[k]))
					m = tri_and(m, MAYBE);
			plain = false; /* log, limit, mangle, nat, dup, ... */
		}
	}
	/* No verdict: a rule that counts, logs or changes something. */
	if (m != NO && about && !plain)
		hit(&w->rules_hit, rule);
	return GO_ON;
}

static enum flow walk_chain(struct walk *w, const struct chain *c, int depth)
{
	enum flow f = GO_ON;
	size_t i;

	for (i = 0; i < c->n_rules && f == GO_ON; i++) {
		if (++w->steps > MAX_STEPS)
			return RETURNED; /* a partial answer: see analyse() */
		f = walk_rule(w, c, c->rules[i], depth);
	}
	return f == GO_ON ? RETURNED : f;
}

/* ---- Findings, and the warnings ---- */

enum finding_kind { F_RULES, F_DROP, F_COND };

struct finding {
	const struct chain *base;
	bool reply;
	enum finding_kind kind;
	json_object *rule;  /* an example, NULL for a policy */
	unsigned int fams;  /* 1: ICMP, 2: ICMPv6 */
};

#define MAX_FINDINGS 64
struct findings {
	struct finding v[MAX_FINDINGS];
	int n, dropped;
};

static void add_finding(struct findings *fs, const struct chain *base, bool reply,
			enum finding_kind kind, json_object *rule, bool v6)
{
	int i;

	for (i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];

		if (f->base == base && f->reply == reply && f->kind == kind) {
			f->fams |= v6 ? 2 : 1;
			return;
		}
	}
	if (fs->n == MAX_FINDINGS) {
		fs->dropped++;
		return;
	}
	fs->v[fs->n++] = (struct finding){ base, reply, kind, rule, v6 ? 2 : 1 };
}

static bool hook_is(const char *hook, const char *const *hooks)
{
	for (; *hooks; hooks++)
		if (!strcmp(hook, *hooks))
			return true;
	return false;
}

/* Does the base chain @c see the packets of @p on this interface? */
static bool chain_applies(const struct ruleset *rs, const struct chain *c, const struct probe *p)
{
	static const char *const in_hooks[] = { "prerouting", "input", "ingress", NULL };
	static const char *const out_hooks[] = { "output", "postrouting", "egress", NULL };
	const char *type = jstr(c->obj, "type") ?: "filter";
	char key[512];
	json_object *devs;

	if (!c->hook || !hook_is(c->hook, p->reply ? out_hooks : in_hooks))
		return false;
	if ((!strcmp(c->family, "ip") && p->v6) || (!strcmp(c->family, "ip6") && !p->v6) ||
	    !strcmp(c->family, "arp") || (!strcmp(c->family, "bridge") && !rs->names.brport))
		return false;
	if (p->reply && !strcmp(type, "nat"))
		return false; /* nat chains see only a connection's first packet */
	if (!strcmp(c->hook, "ingress") || !strcmp(c->hook, "egress")) {
		char dev[IFNAMSIZ + 1];
		const char *s;
		int i, n;

		key3(key, sizeof(key), c->family, c->table, c->name);
		if (!rs->text || !json_object_object_get_ex(rs->text, key, &devs))
			return true; /* can't tell which device: assume this one */
		for (s = json_object_get_string(devs); sscanf(s, "%16s%n", dev, &n) == 1; s += n)
			for (i = 0; i < rs->names.n; i++)
				if (!strcmp(dev, rs->names.v[i]))
					return true;
		return false;
	}
	return true;
}

static void analyse(const struct ruleset *rs, struct findings *fs)
{
	static const struct probe probes[] = {
		{ .v6 = false, .reply = false }, { .v6 = true, .reply = false },
		{ .v6 = false, .reply = true }, { .v6 = true, .reply = true },
	};
	size_t i, k;

	for (i = 0; i < rs->n_chains; i++) {
		const struct chain *c = &rs->chains[i];

		for (k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
			const struct probe *p = &probes[k];
			struct walk w = { .rs = rs, .p = p, .base = c };
			enum flow f;

			if (!chain_applies(rs, c, p))
				continue;
			f = walk_chain(&w, c, 0);
			if (w.steps > MAX_STEPS) {
				note("chain %s is too large to follow; its policy is not checked", c->name);
				f = GO_ON;
			}
			if (w.rules_hit)
				add_finding(fs, c, p->reply, F_RULES, w.rules_hit, p->v6);
			if (f == DROPPED && w.drop_rule)
				add_finding(fs, c, p->reply, F_DROP, w.drop_rule, p->v6);
			/* A policy drop, unless the rule that accepts some (a limit) is reported. */
			if (f == RETURNED && !strcmp(jstr(c->obj, "policy") ?: "accept", "drop") &&
			    (!w.cond_accept || w.cond_accept != w.rules_hit))
				add_finding(fs, c, p->reply, w.cond_accept ? F_COND : F_DROP,
					    w.cond_accept, p->v6);
		}
	}
}

static const char *fams_name(unsigned int fams)
{
	return fams == 1 ? "ICMP" : fams == 2 ? "ICMPv6" : "ICMP and ICMPv6";
}

static void print_finding(const struct ruleset *rs, const struct finding *f)
{
	const char *what = f->reply ? "echo replies" : "echo requests";
	const char *fams = fams_name(f->fams);
	const char *bypass = f->reply ?
		"xdpong's replies leave by XDP_TX and never pass through it" :
		"xdpong answers echo requests before the firewall sees them";
	char where[600], devs[300] = "", example[1200] = "";
	const struct chain *c = f->base;
	json_object *o;

	if (!strcmp(c->hook, "ingress") || !strcmp(c->hook, "egress")) {
		key3(where, sizeof(where), c->family, c->table, c->name);
		if (rs->text && json_object_object_get_ex(rs->text, where, &o))
			snprintf(devs, sizeof(devs), ", device %s", json_object_get_string(o));
	}
	snprintf(where, sizeof(where), "nftables table %s %s, chain %s (hook %s%s)",
		 c->family, c->table, c->name, c->hook, devs);
	if (f->rule) {
		const char *text = rule_text(rs, f->rule), *in = jstr(f->rule, "chain") ?: "";

		if (text)
			snprintf(example, sizeof(example), "'%s'", text);
		else
			snprintf(example, sizeof(example), "rule handle %s", jstr(f->rule, "handle") ?: "?");
		if (strcmp(in, c->name))
			snprintf(example + strlen(example), sizeof(example) - strlen(example),
				 " in chain %s", in);
	}

	switch (f->kind) {
	case F_RULES:
		log_error("warning: %s has rules that match %s %s (e.g. %s); %s. Keep the rules in force "
		    "with --monitor-only%s", where, fams, what, example, bypass,
		    f->reply ? "" : ", or approximate them with --rate/--src-rate");
		break;
	case F_DROP:
		if (f->rule)
			log_error("warning: %s drops %s %s with the catch-all rule %s, so the kernel %s; %s. "
			    "Keep it in force with --monitor-only%s", where, fams, what, example,
			    f->reply ? "would not send its replies" : "would not answer them", bypass,
			    f->reply ? "" : ", or accept echo requests before it if they are meant "
			    "to be answered");
		else
			log_error("warning: %s has policy drop and no rule that accepts %s %s, so the kernel "
			    "%s; %s. Keep the policy in force with --monitor-only%s", where, fams, what,
			    f->reply ? "would not send its replies" : "would not answer them", bypass,
			    f->reply ? "" : ", or accept echo requests in the chain if they are meant "
			    "to be answered");
		break;
	case F_COND:
		log_error("warning: %s has policy drop and accepts %s %s only under conditions (e.g. %s), "
		    "so the kernel %s; %s. Keep the policy in force with --monitor-only", where, fams,
		    what, example, f->reply ? "would not send all its replies" :
		    "would not answer all of them", bypass);
		break;
	}
}

/* ---- iptables-legacy (x_tables), read with getsockopt() ---- */

/* One x_tables rule, IPv4 or IPv6, as far as the walk needs it. */
struct xt_rule {
	const char *iface;            /* in (request) or out (reply); "" for any */
	const unsigned char *iface_mask;
	bool iface_inv, proto_any, proto_inv, addrs, go;
	__u16 proto;
	const unsigned char *matches; /* from the end of the entry header to the target */
	size_t matches_len;
	const struct xt_entry_target *target;
	unsigned int next_offset;
};

/* A table as the kernel gives it, with where each chain and rule is. */
struct xt_table {
	const char *name; /* "filter" */
	bool v6;
	unsigned int valid_hooks, hook_entry[NF_INET_NUMHOOKS], underflow[NF_INET_NUMHOOKS];
	unsigned char *blob;
	unsigned int size;
};

static bool xt_rule_at(const struct xt_table *t, unsigned int off, bool reply, struct xt_rule *r)
{
	if (t->v6) {
		const struct ip6t_entry *e = (const void *)(t->blob + off);

		if (off + sizeof(*e) > t->size || e->next_offset < sizeof(*e) ||
		    off + e->next_offset > t->size || e->target_offset > e->next_offset)
			return false;
		r->iface = reply ? e->ipv6.outiface : e->ipv6.iniface;
		r->iface_mask = reply ? e->ipv6.outiface_mask : e->ipv6.iniface_mask;
		r->iface_inv = e->ipv6.invflags & (reply ? IP6T_INV_VIA_OUT : IP6T_INV_VIA_IN);
		r->proto_any = !(e->ipv6.flags & IP6T_F_PROTO);
		r->proto_inv = e->ipv6.invflags & IP6T_INV_PROTO;
		r->proto = e->ipv6.proto;
		r->addrs = !IN6_IS_ADDR_UNSPECIFIED(&e->ipv6.smsk) || !IN6_IS_ADDR_UNSPECIFIED(&e->ipv6.dmsk);
		r->go = e->ipv6.flags & IP6T_F_GOTO;
		r->matches = e->elems;
		r->matches_len = e->target_offset - sizeof(*e);
		r->target = (const void *)(t->blob + off + e->target_offset);
		r->next_offset = e->next_offset;
	} else {
		const struct ipt_entry *e = (const void *)(t->blob + off);

		if (off + sizeof(*e) > t->size || e->next_offset < sizeof(*e) ||
		    off + e->next_offset > t->size || e->target_offset > e->next_offset)
			return false;
		r->iface = reply ? e->ip.outiface : e->ip.iniface;
		r->iface_mask = reply ? e->ip.outiface_mask : e->ip.iniface_mask;
		r->iface_inv = e->ip.invflags & (reply ? IPT_INV_VIA_OUT : IPT_INV_VIA_IN);
		r->proto_any = e->ip.proto == 0;
		r->proto_inv = e->ip.invflags & IPT_INV_PROTO;
		r->proto = e->ip.proto;
		r->addrs = e->ip.smsk.s_addr || e->ip.dmsk.s_addr;
		r->go = e->ip.flags & IPT_F_GOTO;
		r->matches = e->elems;
		r->matches_len = e->target_offset - sizeof(struct ipt_entry);
		r->target = (const void *)(t->blob + off + e->target_offset);
		r->next_offset = e->next_offset;
	}
	return r->target->u.target_size >= sizeof(*r->target) &&
	       (unsigned char *)r->target + r->target->u.target_size <= t->blob + off + r->next_offset;
}

/* One match extension: icmp, icmp6, state and conntrack (rev. 2, 3)
 * states are modelled, a comment always matches, anything else may; the
 * rate and connection limits make the rule *limited. */
static enum tri xt_match(const struct probe *p, const struct xt_entry_match *m, bool *about,
			 bool *limited)
{
	static const char *const limits[] = { "limit", "hashlimit", "connlimit", "recent", NULL };
	int k;

	const char *name = m->u.user.name;
	size_t len = m->u.match_size - sizeof(*m);

	if (!strcmp(name, p->v6 ? "icmp6" : "icmp") && len >= sizeof(struct ipt_icmp)) {
		/* struct ipt_icmp and struct ip6t_icmp are alike */
		const struct ipt_icmp *i = (const void *)m->data;
		bool hit = (i->type == 0xff || i->type == probe_type(p)) && i->code[0] == 0;

		*about = true;
		return hit != !!(i->invflags & IPT_ICMP_INV) ? YES : NO;
	}
	if (!strcmp(name, "state") && len >= sizeof(struct xt_state_info)) {
		const struct xt_state_info *i = (const void *)m->data;

		return (i->statemask & probe_ct_state(p)) ? YES : NO;
	}
	if (!strcmp(name, "conntrack") && m->u.user.revision >= 2 &&
	    len >= offsetof(struct xt_conntrack_mtinfo3, status_mask)) {
		const struct xt_conntrack_mtinfo3 *i = (const void *)m->data;
		bool hit = i->state_mask & probe_ct_state(p);

		if (i->match_flags != XT_CONNTRACK_STATE)
			return MAYBE;
		return hit != !!(i->invert_flags & XT_CONNTRACK_STATE) ? YES : NO;
	}
	for (k = 0; limits[k]; k++)
		if (!strcmp(name, limits[k]))
			*limited = true;
	return strcmp(name, "comment") ? MAYBE : YES;
}

static enum tri xt_rule_match(const struct names *n, const struct probe *p, const struct xt_rule *r,
			      bool *about, bool *limited)
{
	enum tri m = YES;
	size_t off;
	int i, j;

	if (!r->proto_any) {
		bool icmp = r->proto == (p->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);

		if (icmp == r->proto_inv)
			return NO;
		*about |= !r->proto_inv;
	}
	if (r->iface_mask[0]) {
		int hits = 0;

		for (i = 0; i < n->n; i++) {
			for (j = 0; j < IFNAMSIZ && !((n->v[i][j] ^ r->iface[j]) & r->iface_mask[j]); j++)
				;
			hits += j == IFNAMSIZ;
		}
		m = hits == 0 ? NO : hits == n->n ? YES : MAYBE;
		if (r->iface_inv)
			m = tri_not(m);
	}
	if (r->addrs)
		m = tri_and(m, MAYBE);
	for (off = 0; off + sizeof(struct xt_entry_match) <= r->matches_len && m != NO;) {
		const struct xt_entry_match *x = (const void *)(r->matches + off);

		if (x->u.match_size < sizeof(*x) || off + x->u.match_size > r->matches_len)
			return MAYBE;
		m = tri_and(m, xt_match(p, x, about, limited));
		off += x->u.match_size;
	}
	return m;
}

struct xt_walk {
	const struct xt_table *t;
	const struct names *names;
	const struct probe *p;
	unsigned int hit_off, cond_off, drop_off; /* 0: none; else offset + 1 */
	long steps;
};

/* Walk the rules from @off, a builtin chain up to its policy at @end, a user
 * chain up to its closing RETURN. */
static enum flow xt_walk_chain(struct xt_walk *w, unsigned int off, unsigned int end, int depth)
{
	struct xt_rule r;

	for (; off < end && ++w->steps <= MAX_STEPS; off += r.next_offset) {
		const char *target;
		bool about = false, limited = false, plain;
		int verdict = 0;
		enum tri m;

		if (!xt_rule_at(w->t, off, w->p->reply, &r))
			break;
		target = r.target->u.user.name;
		if (!strcmp(target, XT_ERROR_TARGET))
			break;
		m = xt_rule_match(w->names, w->p, &r, &about, &limited);
		if (m == NO)
			continue;
		if (!strcmp(target, XT_STANDARD_TARGET))
			verdict = ((const struct xt_standard_target *)r.target)->verdict;
		plain = !limited && !strcmp(target, XT_STANDARD_TARGET) && verdict != -NF_DROP - 1;
		if (about && !plain && !w->hit_off)
			w->hit_off = off + 1;
		if (strcmp(target, XT_STANDARD_TARGET)) {
			if (strcmp(target, "REJECT"))
				continue; /* LOG, MARK, ...: the walk goes on */
			verdict = -NF_DROP - 1;
		}
		if (verdict == -NF_ACCEPT - 1) {
			if (m == YES)
				return ACCEPTED;
			if (!w->cond_off)
				w->cond_off = off + 1;
		} else if (verdict == -NF_DROP - 1) {
			if (m == YES) {
				if (!about && !w->drop_off)
					w->drop_off = off + 1;
				return DROPPED;
			}
		} else if (verdict == XT_RETURN) {
			if (m == YES)
				return RETURNED;
		} else if (verdict >= 0 && depth < 16) {
			enum flow f = xt_walk_chain(w, (unsigned int)verdict, w->t->size, depth + 1);

			if (m == YES && (f == ACCEPTED || f == DROPPED))
				return f;
			if (m == YES && r.go)
				return RETURNED;
		}
	}
	return RETURNED;
}

/* The chain and position of the rule at @off, as iptables -S numbers them. */
static void xt_rule_name(const struct xt_table *t, unsigned int off, char *buf, size_t len)
{
	static const char *const builtin[NF_INET_NUMHOOKS] = {
		"PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" };
	const char *chain = "?";
	unsigned int o, num = 0;
	struct xt_rule r;
	int h;

	for (o = 0; o < t->size && xt_rule_at(t, o, false, &r); o += r.next_offset) {
		for (h = 0; h < NF_INET_NUMHOOKS; h++)
			if ((t->valid_hooks & (1U << h)) && t->hook_entry[h] == o) {
				chain = builtin[h];
				num = 0;
			}
		if (!strcmp(r.target->u.user.name, XT_ERROR_TARGET)) {
			chain = ((const struct xt_error_target *)r.target)->errorname;
			num = 0;
			continue;
		}
		num++;
		if (o == off)
			break;
	}
	snprintf(buf, len, "rule %u of chain %.32s", num, chain);
}

static void xt_check_table(const struct xt_table *t, const struct names *names)
{
	static const struct { int hook; const char *name; bool reply; } hooks[] = {
		{ NF_INET_PRE_ROUTING, "PREROUTING", false }, { NF_INET_LOCAL_IN, "INPUT", false },
		{ NF_INET_LOCAL_OUT, "OUTPUT", true }, { NF_INET_POST_ROUTING, "POSTROUTING", true },
	};
	const char *cmd = t->v6 ? "ip6tables-legacy" : "iptables-legacy";
	size_t i;

	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		struct probe p = { .v6 = t->v6, .reply = hooks[i].reply };
		struct xt_walk w = { .t = t, .names = names, .p = &p };
		const char *what = p.reply ? "echo replies" : "echo requests";
		const char *fam = t->v6 ? "ICMPv6" : "ICMP";
		const char *bypass = p.reply ?
			"xdpong's replies leave by XDP_TX and never pass through it" :
			"xdpong answers echo requests before the firewall sees them";
		unsigned int start = t->hook_entry[hooks[i].hook], end = t->underflow[hooks[i].hook];
		char where[128], rule[96];
		struct xt_rule pol;
		enum flow f;
		int verdict;

		if (!(t->valid_hooks & (1U << hooks[i].hook)) || (p.reply && !strcmp(t->name, "nat")))
			continue;
		f = xt_walk_chain(&w, start, end, 0);
		snprintf(where, sizeof(where), "%s table %s, chain %s", cmd, t->name, hooks[i].name);
		if (w.hit_off) {
			xt_rule_name(t, w.hit_off - 1, rule, sizeof(rule));
			log_error("warning: %s has rules that match %s %s (e.g. %s: see %s -t %s -S); %s. "
			    "Keep the rules in force with --monitor-only%s", where, fam, what, rule, cmd,
			    t->name, bypass, p.reply ? "" : ", or approximate them with --rate/--src-rate");
		}
		if (f == DROPPED && w.drop_off) {
			xt_rule_name(t, w.drop_off - 1, rule, sizeof(rule));
			log_error("warning: %s drops %s %s with a catch-all rule (%s), so the kernel %s; %s. "
			    "Keep it in force with --monitor-only", where, fam, what, rule,
			    p.reply ? "would not send its replies" : "would not answer them", bypass);
		}
		if (f != RETURNED || w.steps > MAX_STEPS || !xt_rule_at(t, end, p.reply, &pol) ||
		    strcmp(pol.target->u.user.name, XT_STANDARD_TARGET))
			continue;
		verdict = ((const struct xt_standard_target *)pol.target)->verdict;
		if (verdict != -NF_DROP - 1)
			continue;
		if (w.cond_off && w.cond_off == w.hit_off)
			continue; /* the rule that accepts some (a limit) is reported */
		if (w.cond_off) {
			xt_rule_name(t, w.cond_off - 1, rule, sizeof(rule));
			log_error("warning: %s has policy DROP and accepts %s %s only under conditions (e.g. %s), "
			    "so the kernel %s; %s. Keep the policy in force with --monitor-only", where, fam,
			    what, rule, p.reply ? "would not send all its replies" :
			    "would not answer all of them", bypass);
		} else {
			log_error("warning: %s has policy DROP and no rule that accepts %s %s, so the kernel %s; "
			    "%s. Keep the policy in force with --monitor-only", where, fam, what,
			    p.reply ? "would not send its replies" : "would not answer them", bypass);
		}
	}
}

/* The legacy tables of this network namespace are listed in
 * /proc/net/ip{,6}_tables_names (only those that exist: none are created). */
static void check_legacy(const struct names *names, bool v6)
{
	const char *list = v6 ? "/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names";
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	char name[XT_TABLE_MAXNAMELEN + 2];
	FILE *f = fopen(list, "r");
	int fd = -1;

	if (!f)
		return; /* no x_tables in this kernel, or not loaded: no legacy rules */
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	while (fd >= 0 && fgets(name, sizeof(name), f)) {
		struct xt_table t = { .v6 = v6 };
		struct ipt_getinfo info = {};
		struct ipt_get_entries *ent;
		socklen_t len = sizeof(info);

		name[strcspn(name, "\n")] = 0;
		/* struct ip6t_getinfo and ip6t_get_entries are laid out alike */
		snprintf(info.name, sizeof(info.name), "%.31s", name);
		if (getsockopt(fd, level, IPT_SO_GET_INFO, &info, &len)) {
			note("can't read the legacy table %s: %s", name, strerror(errno));
			continue;
		}
		len = sizeof(*ent) + info.size;
		ent = calloc(1, len);
		if (!ent)
			break;
		snprintf(ent->name, sizeof(ent->name), "%.31s", name);
		ent->size = info.size;
		if (getsockopt(fd, level, IPT_SO_GET_ENTRIES, ent, &len) == 0) {
			t.name = name;
			t.valid_hooks = info.valid_hooks;
			memcpy(t.hook_entry, info.hook_entry, sizeof(t.hook_entry));
			memcpy(t.underflow, info.underflow, sizeof(t.underflow));
			t.blob = (unsigned char *)ent->entrytable;
			t.size = ent->size;
			xt_check_table(&t, names);
		} else {
			note("can't read the legacy table %s: %s", name, strerror(errno));
		}
		free(ent);
	}
	if (fd >= 0)
		close(fd);
	fclose(f);
}

/* ---- libnftables, found at run time ---- */

static struct {
	typeof(nft_ctx_new) *ctx_new;
	typeof(nft_ctx_free) *ctx_free;
	typeof(nft_ctx_output_set_flags) *set_flags;
	typeof(nft_ctx_buffer_output) *buffer_output;
	typeof(nft_ctx_buffer_error) *buffer_error;
	typeof(nft_ctx_get_output_buffer) *get_output;
	typeof(nft_ctx_get_error_buffer) *get_error;
	typeof(nft_run_cmd_from_buffer) *run_cmd;
} nft;

#define NFT_LIB "libnftables.so.1"

static void *nft_open(void)
{
	void *dl = dlopen(NFT_LIB, RTLD_NOW | RTLD_LOCAL);

	if (!dl) {
		note("no nftables library (%s)", dlerror());
		return NULL;
	}
#define LOAD(field, sym) (nft.field = (typeof(nft.field))dlsym(dl, #sym))
	if (!LOAD(ctx_new, nft_ctx_new) || !LOAD(ctx_free, nft_ctx_free) ||
	    !LOAD(set_flags, nft_ctx_output_set_flags) || !LOAD(buffer_output, nft_ctx_buffer_output) ||
	    !LOAD(buffer_error, nft_ctx_buffer_error) || !LOAD(get_output, nft_ctx_get_output_buffer) ||
	    !LOAD(get_error, nft_ctx_get_error_buffer) || !LOAD(run_cmd, nft_run_cmd_from_buffer)) {
		note("%s lacks a function xdpong needs (%s)", NFT_LIB, dlerror());
		dlclose(dl);
		return NULL;
	}
#undef LOAD
	return dl;
}

/* `nft list ruleset` with output @flags, as a string to free. */
static char *nft_list(struct nft_ctx *ctx, unsigned int flags)
{
	const char *out;

	nft.set_flags(ctx, flags);
	if (nft.run_cmd(ctx, "list ruleset")) {
		const char *e = nft.get_error(ctx);

		note("can't list the nftables ruleset: %.*s", e ? (int)strcspn(e, "\n") : 0, e ?: "");
		return NULL;
	}
	out = nft.get_output(ctx);
	return strdup(out ?: "");
}

static void check_nftables(struct names *names)
{
	struct ruleset rs = { .names = *names };
	struct findings fs = { .n = 0 };
	struct nft_ctx *ctx = NULL;
	char *json = NULL, *text = NULL;
	void *dl = nft_open();
	int i;

	if (!dl)
		return;
	ctx = nft.ctx_new(NFT_CTX_DEFAULT);
	if (!ctx || nft.buffer_output(ctx) || nft.buffer_error(ctx)) {
		note("can't set up libnftables");
		goto out;
	}
	json = nft_list(ctx, NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_NUMERIC_ALL);
	if (!json)
		goto out;
	rs.root = json_tokener_parse(json);
	if (!rs.root || ruleset_index(&rs)) {
		note("can't read the nftables ruleset as JSON");
		goto out;
	}
	if (!rs.n_chains)
		goto out; /* an empty ruleset: nothing to read as text */
	text = nft_list(ctx, NFT_CTX_OUTPUT_HANDLE | NFT_CTX_OUTPUT_STATELESS);
	if (text)
		text_index(&rs, text);
	analyse(&rs, &fs);
	for (i = 0; i < fs.n; i++)
		print_finding(&rs, &fs.v[i]);
	if (fs.dropped)
		log_error("warning: ... and %d more such findings in the nftables ruleset", fs.dropped);
out:
	free(text);
	free(json);
	ruleset_free(&rs);
	if (ctx)
		nft.ctx_free(ctx);
	dlclose(dl);
}

void firewall_warn(const char *iface)
{
	struct names names = { .n = 0 };
	char path[64 + IFNAMSIZ];

	add_names(&names, iface, 0);
	snprintf(path, sizeof(path), "/sys/class/net/%s/brport", iface);
	names.brport = access(path, F_OK) == 0;
	check_nftables(&names);
	check_legacy(&names, false);
	check_legacy(&names, true);
}
