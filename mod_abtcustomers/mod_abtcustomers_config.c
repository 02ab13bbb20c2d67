/* mod_abtcustomers_config.c: directives and configuration merging.
 *
 * The httpd idiom: create fills sentinels, merge takes "add if set, else
 * base", and the defaults are applied once at post_config
 * (abtc_config_finish), so every reader sees complete values.
 */

#include "mod_abtcustomers.h"

#include "http_core.h"

#include <apr_lib.h>
#include <apr_strings.h>

#define DEFAULT_LIMIT 20
#define DEFAULT_MAX_LIMIT 100
#define DEFAULT_MAX_BODY 65536          /* D28 */
#define DEFAULT_TIME_ZONE "Europe/Amsterdam"   /* D7 */
#define DEFAULT_ANONYMOUS_USER "anonymous"
#define DEFAULT_MAX_DEPTH 16

void *abtc_create_srv_cfg(apr_pool_t *p, server_rec *s)
{
    abtc_srv_cfg *c = apr_pcalloc(p, sizeof(*c));

    c->base_url = NULL;
    c->default_limit = ABTC_UNSET;
    c->max_limit = ABTC_UNSET;
    c->max_body = ABTC_UNSET;
    c->time_zone = NULL;
    c->anonymous_user = NULL;
    c->token_times = ABTC_UNSET;
    c->max_depth = ABTC_UNSET;
    return c;
}

#define MERGE_PTR(f) c->f = add->f ? add->f : base->f
#define MERGE_INT(f) c->f = add->f != ABTC_UNSET ? add->f : base->f

void *abtc_merge_srv_cfg(apr_pool_t *p, void *basev, void *addv)
{
    const abtc_srv_cfg *base = basev, *add = addv;
    abtc_srv_cfg *c = apr_pcalloc(p, sizeof(*c));

    MERGE_PTR(base_url);
    MERGE_INT(default_limit);
    MERGE_INT(max_limit);
    MERGE_INT(max_body);
    MERGE_PTR(time_zone);
    MERGE_PTR(anonymous_user);
    MERGE_INT(token_times);
    MERGE_INT(max_depth);
    return c;
}

/* Apply defaults to every server once configuration is read. */
void abtc_config_finish(apr_pool_t *pconf, server_rec *s)
{
    for (; s; s = s->next) {
        abtc_srv_cfg *c = ap_get_module_config(s->module_config,
                                               &abtcustomers_module);

        if (c->default_limit == ABTC_UNSET) {
            c->default_limit = DEFAULT_LIMIT;
        }
        if (c->max_limit == ABTC_UNSET) {
            c->max_limit = DEFAULT_MAX_LIMIT;
        }
        if (c->default_limit > c->max_limit) {
            c->default_limit = c->max_limit;
        }
        if (c->max_body == ABTC_UNSET) {
            c->max_body = DEFAULT_MAX_BODY;
        }
        if (!c->time_zone) {
            c->time_zone = DEFAULT_TIME_ZONE;
        }
        if (!c->anonymous_user) {
            c->anonymous_user = DEFAULT_ANONYMOUS_USER;
        }
        if (c->token_times == ABTC_UNSET) {
            c->token_times = 1;
        }
        if (c->max_depth == ABTC_UNSET) {
            c->max_depth = DEFAULT_MAX_DEPTH;
        }
    }
}

static abtc_srv_cfg *srv_cfg(cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config,
                                &abtcustomers_module);
}

static const char *set_base_url(cmd_parms *cmd, void *dummy, const char *v)
{
    apr_size_t n = strlen(v);

    if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
        return "ABTCustomersBaseURL must start with http:// or https://";
    }
    while (n > 0 && v[n - 1] == '/') {
        n--;
    }
    srv_cfg(cmd)->base_url = apr_pstrndup(cmd->pool, v, n);
    return NULL;
}

static const char *parse_positive(cmd_parms *cmd, const char *v,
                                  apr_int64_t max, apr_int64_t *out)
{
    char *end;
    apr_int64_t n = apr_strtoi64(v, &end, 10);

    if (*v == '\0' || *end != '\0' || n < 1 || n > max) {
        return apr_psprintf(cmd->pool, "%s must be an integer from 1 to %"
                            APR_INT64_T_FMT, cmd->cmd->name, max);
    }
    *out = n;
    return NULL;
}

/* One setter for the numeric directives; cmd->info names the member. */
enum { NUM_DEFAULT_LIMIT, NUM_MAX_LIMIT, NUM_MAX_BODY, NUM_MAX_DEPTH };

static const char *set_number(cmd_parms *cmd, void *dummy, const char *v)
{
    abtc_srv_cfg *c = srv_cfg(cmd);
    apr_int64_t n;
    const char *err;

    switch ((int)(apr_uintptr_t)cmd->info) {
    case NUM_DEFAULT_LIMIT:
        err = parse_positive(cmd, v, 1000, &n);
        c->default_limit = (int)n;
        return err;
    case NUM_MAX_LIMIT:
        err = parse_positive(cmd, v, 1000, &n);
        c->max_limit = (int)n;
        return err;
    case NUM_MAX_BODY:
        err = parse_positive(cmd, v, 64 * 1024 * 1024, &n);
        c->max_body = (apr_off_t)n;
        return err;
    case NUM_MAX_DEPTH:
        err = parse_positive(cmd, v, 64, &n);
        c->max_depth = (int)n;
        return err;
    }
    return "unknown numeric directive";
}

static const char *set_time_zone(cmd_parms *cmd, void *dummy, const char *v)
{
    const char *s;

    /* An IANA zone name; PostgreSQL resolves it. Only a safe alphabet is
     * allowed because it names a zone, not because it reaches SQL text
     * (it always travels as a parameter). */
    for (s = v; *s; s++) {
        if (!apr_isalnum(*s) && !strchr("/_+-", *s)) {
            return "ABTCustomersTimeZone must be an IANA time zone name";
        }
    }
    if (!*v) {
        return "ABTCustomersTimeZone must not be empty";
    }
    srv_cfg(cmd)->time_zone = v;
    return NULL;
}

static const char *set_anonymous_user(cmd_parms *cmd, void *dummy,
                                      const char *v)
{
    if (!*v) {
        return "ABTCustomersAnonymousUser must not be empty";
    }
    srv_cfg(cmd)->anonymous_user = v;
    return NULL;
}

static const char *set_token_times(cmd_parms *cmd, void *dummy, int on)
{
    srv_cfg(cmd)->token_times = on;
    return NULL;
}

const command_rec abtc_cmds[] = {
    AP_INIT_TAKE1("ABTCustomersBaseURL", set_base_url, NULL, RSRC_CONF,
                  "Public base URL of the API for _links, e.g. "
                  "https://api.example.nl/abt/abtcustomers/2.0"),
    AP_INIT_TAKE1("ABTCustomersDefaultLimit", set_number,
                  (void *)NUM_DEFAULT_LIMIT, RSRC_CONF,
                  "Page size when a request gives no limit (default 20)"),
    AP_INIT_TAKE1("ABTCustomersMaxLimit", set_number, (void *)NUM_MAX_LIMIT,
                  RSRC_CONF, "Largest limit a request may ask (default 100)"),
    AP_INIT_TAKE1("ABTCustomersMaxBody", set_number, (void *)NUM_MAX_BODY,
                  RSRC_CONF,
                  "Largest request body in bytes; larger is 413 "
                  "(default 65536)"),
    AP_INIT_TAKE1("ABTCustomersMaxDepth", set_number, (void *)NUM_MAX_DEPTH,
                  RSRC_CONF, "Deepest JSON nesting accepted (default 16)"),
    AP_INIT_TAKE1("ABTCustomersTimeZone", set_time_zone, NULL, RSRC_CONF,
                  "Time zone of local times in and out "
                  "(default Europe/Amsterdam)"),
    AP_INIT_TAKE1("ABTCustomersAnonymousUser", set_anonymous_user, NULL,
                  RSRC_CONF,
                  "Audit user name when no authentication is configured "
                  "(default anonymous)"),
    AP_INIT_FLAG("ABTCustomersTokenTimes", set_token_times, NULL, RSRC_CONF,
                 "Refuse OAuth 2.0 tokens without exp, not yet valid or "
                 "issued in the future (default On)"),
    { NULL }
};
