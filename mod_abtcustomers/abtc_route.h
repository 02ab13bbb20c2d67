/* abtc_route: the one route table (method + path pattern -> operation).
 *
 * Paths are relative to the API root (the <Location> of SetHandler
 * abtcustomers). A pattern segment "{}" matches a positive integer id
 * (1..2^63-1); every other segment matches literally, case-sensitively.
 */
#ifndef ABTC_ROUTE_H
#define ABTC_ROUTE_H

#include <apr_pools.h>
#include <apr.h>

typedef enum {
    ABTC_OP_CUSTOMER_SEARCH = 0,
    ABTC_OP_CUSTOMER_CREATE,
    ABTC_OP_CUSTOMER_PATCH,
    ABTC_OP_STATUS_CREATE,
    ABTC_OP_PREFERENCE_CREATE,
    ABTC_OP_PREFERENCE_PATCH,
    ABTC_OP_ADDRESS_CREATE,
    ABTC_OP_ADDRESS_PATCH,
    ABTC_OP_ADDRESS_DELETE,
    ABTC_OP_PHONE_CREATE,
    ABTC_OP_PHONE_PATCH,
    ABTC_OP_PHONE_DELETE,
    ABTC_OP_TOKEN_SEARCH,
    ABTC_OP_TOKEN_CREATE,
    ABTC_OP_TOKEN_PATCH,
    ABTC_OP_TOKEN_DELETE,
    ABTC_OP_CHIPCARD_CREATE,
    ABTC_OP_CHIPCARD_PATCH,
    ABTC_OP_CHIPCARD_DELETE,
    ABTC_OP_BILLING_SEARCH,
    ABTC_OP_BILLING_CREATE,
    ABTC_OP_BILLING_PATCH,
    ABTC_OP_MANDATE_SEARCH,
    ABTC_OP_MANDATE_CREATE,
    ABTC_OP_MANDATE_PATCH,
    ABTC_OP_COUNT
} abtc_op_t;

typedef enum {
    ABTC_M_GET = 0, ABTC_M_POST, ABTC_M_PATCH, ABTC_M_DELETE, ABTC_M_OTHER
} abtc_method_t;

typedef struct {
    abtc_method_t method;
    const char *pattern;
    abtc_op_t op;
    const char *id_name;     /* name of the path id, for problems */
} abtc_route_t;

typedef enum {
    ABTC_ROUTE_FOUND,
    ABTC_ROUTE_NO_PATH,          /* 404 */
    ABTC_ROUTE_BAD_METHOD,       /* 405, *allow filled */
    ABTC_ROUTE_BAD_ID            /* 400: id segment is not digits */
} abtc_route_result_t;

abtc_method_t abtc_route_method(const char *method);

/* Match path (relative, starting with '/', no query). On FOUND sets *route
 * and *id (0 when the pattern has no id, or the id is out of range and
 * so cannot exist). On BAD_METHOD sets *allow to the
 * comma-separated methods the path accepts ("GET, POST"). On BAD_ID
 * *route is set too, so the id can be named. */
abtc_route_result_t abtc_route_match(apr_pool_t *p, abtc_method_t method,
                                     const char *path,
                                     const abtc_route_t **route,
                                     apr_int64_t *id, const char **allow);

#endif
