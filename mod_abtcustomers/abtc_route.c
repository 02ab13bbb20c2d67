/* abtc_route.c: the route table of all 25 operations and their aliases. */

#include "abtc_route.h"

#include <apr_strings.h>
#include <string.h>

/* ERRATA inventory order. Aliases: /ovPayTokens (#38) and the plural
 * /billingInformations/{id}/directdebitmandates (#36). */
static const abtc_route_t routes[] = {
    { ABTC_M_GET,    "/customers", ABTC_OP_CUSTOMER_SEARCH, NULL },
    { ABTC_M_POST,   "/customers", ABTC_OP_CUSTOMER_CREATE, NULL },
    { ABTC_M_PATCH,  "/customers/{}", ABTC_OP_CUSTOMER_PATCH,
      "customerProfileId" },
    { ABTC_M_POST,   "/customers/{}/customerStatusInstances",
      ABTC_OP_STATUS_CREATE, "customerProfileId" },
    { ABTC_M_POST,   "/customers/{}/customerPreferences",
      ABTC_OP_PREFERENCE_CREATE, "customerProfileId" },
    { ABTC_M_PATCH,  "/customerPreferences/{}", ABTC_OP_PREFERENCE_PATCH,
      "customerPreferenceId" },
    { ABTC_M_POST,   "/customers/{}/addresses", ABTC_OP_ADDRESS_CREATE,
      "customerProfileId" },
    { ABTC_M_PATCH,  "/addresses/{}", ABTC_OP_ADDRESS_PATCH, "addressId" },
    { ABTC_M_DELETE, "/addresses/{}", ABTC_OP_ADDRESS_DELETE, "addressId" },
    { ABTC_M_POST,   "/customers/{}/phones", ABTC_OP_PHONE_CREATE,
      "customerProfileId" },
    { ABTC_M_PATCH,  "/phones/{}", ABTC_OP_PHONE_PATCH, "phoneId" },
    { ABTC_M_DELETE, "/phones/{}", ABTC_OP_PHONE_DELETE, "phoneId" },
    { ABTC_M_GET,    "/ovpaytokens", ABTC_OP_TOKEN_SEARCH, NULL },
    { ABTC_M_GET,    "/ovPayTokens", ABTC_OP_TOKEN_SEARCH, NULL },
    { ABTC_M_POST,   "/customers/{}/ovpaytokens", ABTC_OP_TOKEN_CREATE,
      "customerProfileId" },
    { ABTC_M_POST,   "/customers/{}/ovPayTokens", ABTC_OP_TOKEN_CREATE,
      "customerProfileId" },
    { ABTC_M_PATCH,  "/ovpaytokens/{}", ABTC_OP_TOKEN_PATCH, "ovpaytokenId" },
    { ABTC_M_PATCH,  "/ovPayTokens/{}", ABTC_OP_TOKEN_PATCH, "ovpaytokenId" },
    { ABTC_M_DELETE, "/ovpaytokens/{}", ABTC_OP_TOKEN_DELETE, "ovpaytokenId" },
    { ABTC_M_DELETE, "/ovPayTokens/{}", ABTC_OP_TOKEN_DELETE, "ovpaytokenId" },
    { ABTC_M_POST,   "/customers/{}/ovchipcards", ABTC_OP_CHIPCARD_CREATE,
      "customerProfileId" },
    { ABTC_M_PATCH,  "/ovchipcards/{}", ABTC_OP_CHIPCARD_PATCH,
      "ovchipcardId" },
    { ABTC_M_DELETE, "/ovchipcards/{}", ABTC_OP_CHIPCARD_DELETE,
      "ovchipcardId" },
    { ABTC_M_GET,    "/billingInformations", ABTC_OP_BILLING_SEARCH, NULL },
    { ABTC_M_POST,   "/customers/{}/billingInformations",
      ABTC_OP_BILLING_CREATE, "customerProfileId" },
    { ABTC_M_PATCH,  "/billingInformations/{}", ABTC_OP_BILLING_PATCH,
      "billingInformationId" },
    { ABTC_M_GET,    "/directdebitmandates", ABTC_OP_MANDATE_SEARCH, NULL },
    { ABTC_M_POST,   "/billingInformation/{}/directdebitmandates",
      ABTC_OP_MANDATE_CREATE, "billingInformationId" },
    { ABTC_M_POST,   "/billingInformations/{}/directdebitmandates",
      ABTC_OP_MANDATE_CREATE, "billingInformationId" },
    { ABTC_M_PATCH,  "/directdebitmandates/{}", ABTC_OP_MANDATE_PATCH,
      "directdebitmandateId" },
};

static const char *const method_names[] = { "GET", "POST", "PATCH",
                                            "DELETE" };

abtc_method_t abtc_route_method(const char *method)
{
    int i;

    /* HEAD is answered as GET; httpd drops the body. */
    if (!strcmp(method, "HEAD")) {
        return ABTC_M_GET;
    }
    for (i = 0; i < ABTC_M_OTHER; i++) {
        if (!strcmp(method, method_names[i])) {
            return (abtc_method_t)i;
        }
    }
    return ABTC_M_OTHER;
}

/* Compare one path against a pattern. Returns 1 on a match; an id segment
 * is stored in *id_seg (not yet validated). */
static int pattern_match(const char *pattern, const char *path,
                         const char **id_seg, apr_size_t *id_len)
{
    const char *pp = pattern, *sp = path;

    *id_seg = NULL;
    while (*pp && *sp) {
        if (pp[0] == '{' && pp[1] == '}') {
            const char *end = strchr(sp, '/');
            apr_size_t n = end ? (apr_size_t)(end - sp) : strlen(sp);

            if (n == 0) {
                return 0;
            }
            *id_seg = sp;
            *id_len = n;
            sp += n;
            pp += 2;
            continue;
        }
        if (*pp != *sp) {
            return 0;
        }
        pp++;
        sp++;
    }
    /* one trailing slash is tolerated: "/customers/" */
    if (*pp == '\0' && sp[0] == '/' && sp[1] == '\0') {
        return 1;
    }
    return *pp == '\0' && *sp == '\0';
}

abtc_route_result_t abtc_route_match(apr_pool_t *p, abtc_method_t method,
                                     const char *path,
                                     const abtc_route_t **route,
                                     apr_int64_t *id, const char **allow)
{
    size_t i;
    int methods_seen[ABTC_M_OTHER] = { 0 };
    int path_seen = 0;
    const abtc_route_t *found = NULL;
    const char *found_seg = NULL;
    apr_size_t found_len = 0;

    for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const char *seg;
        apr_size_t len = 0;

        if (!pattern_match(routes[i].pattern, path, &seg, &len)) {
            continue;
        }
        path_seen = 1;
        methods_seen[routes[i].method] = 1;
        if (routes[i].method == method && !found) {
            found = &routes[i];
            found_seg = seg;
            found_len = len;
        }
    }
    if (!path_seen) {
        return ABTC_ROUTE_NO_PATH;
    }
    if (!found) {
        const char *list = NULL;
        int m;

        for (m = 0; m < ABTC_M_OTHER; m++) {
            if (methods_seen[m]) {
                list = list ? apr_pstrcat(p, list, ", ", method_names[m], NULL)
                            : method_names[m];
                if (m == ABTC_M_GET) {
                    list = apr_pstrcat(p, list, ", HEAD", NULL);
                }
            }
        }
        *allow = list;
        return ABTC_ROUTE_BAD_METHOD;
    }
    *route = found;
    *id = 0;
    if (found_seg) {
        apr_int64_t v = 0;
        apr_size_t k;

        /* An id is written in plain digits (else 400); one that is out of
         * range cannot exist, so it stays 0 and the operation answers 404. */
        for (k = 0; k < found_len; k++) {
            if (found_seg[k] < '0' || found_seg[k] > '9') {
                return ABTC_ROUTE_BAD_ID;
            }
        }
        for (k = 0; k < found_len; k++) {
            if (v > (APR_INT64_MAX - (found_seg[k] - '0')) / 10) {
                v = 0;
                break;
            }
            v = v * 10 + (found_seg[k] - '0');
        }
        *id = v;
    }
    return ABTC_ROUTE_FOUND;
}
