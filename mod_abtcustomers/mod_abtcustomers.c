/* mod_abtcustomers.c: the module record and its hooks.
 *
 * Serves the ABT Customers CRUD API v2 from a <Location> with
 * "SetHandler abtcustomers"; database access goes through mod_dbd's
 * pooled connections, authentication is mod_auth_openidc's (r->user).
 */

#include "mod_abtcustomers.h"
#include "mod_abtcustomers_db.h"

#include "http_protocol.h"

static int abtc_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                            apr_pool_t *ptemp, server_rec *s)
{
    if (abtc_db_bind() != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, ABTCLOGNO(00001)
                     "mod_abtcustomers needs mod_dbd: load mod_dbd.so "
                     "before mod_abtcustomers.so");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    abtc_config_finish(pconf, s);
    return OK;
}

static void abtc_register_hooks(apr_pool_t *p)
{
    static const char *const after_dbd[] = { "mod_dbd.c", NULL };

    ap_hook_post_config(abtc_post_config, NULL, after_dbd, APR_HOOK_MIDDLE);
    ap_hook_handler(abtc_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(abtc_problem_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(abtcustomers) = {
    STANDARD20_MODULE_STUFF,
    NULL,                       /* no per-directory configuration */
    NULL,
    abtc_create_srv_cfg,
    abtc_merge_srv_cfg,
    abtc_cmds,
    abtc_register_hooks,
    AP_MODULE_FLAG_NONE
};
