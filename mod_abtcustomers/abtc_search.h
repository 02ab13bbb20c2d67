/* abtc_search: query parameters of a list endpoint -> one SQL statement.
 *
 * D15/#42: filters combine with AND; text matches exactly, ignoring case;
 * lists as "1,2" or repeated; *Before is <=, *After is >=; sort "a,-b"
 * with the id as final tiebreak; offset >= 0 (default 0); limit 1..max
 * (default configurable); an unknown parameter is a 400. Parameter names
 * match case-insensitively (#17). Filters on the same child table (all
 * address* filters, say) must hold for the same child row.
 *
 * The statement answers one row per item (the item's JSON document as
 * text, built by the resource's document function), limit + 1 rows at
 * most, so the caller knows whether a next page exists: one round trip
 * per request.
 */
#ifndef ABTC_SEARCH_H
#define ABTC_SEARCH_H

#include "abtc_problem.h"
#include "abtc_resource.h"
#include "abtc_sql.h"

typedef struct {
    abtc_stmt_t *stmt;
    apr_int64_t offset;
    apr_int64_t limit;
    apr_array_header_t *link_params;  /* abtc_param_t: all but offset */
} abtc_search_req_t;

typedef struct {
    int default_limit;
    int max_limit;
    const char *tz;
    const char *base_url;
} abtc_search_opts_t;

/* params: abtc_param_t from abtc_query_parse. Problems are added to pr;
 * returns NULL when there are any. */
abtc_search_req_t *abtc_search_build(apr_pool_t *p, const abtc_search_t *s,
                                     const apr_array_header_t *params,
                                     const abtc_search_opts_t *opts,
                                     abtc_problem_t *pr);

/* The {"self":…, "prev":…, "next":…} object of a page (#34, #38): every
 * filter plus sort and limit kept, only offset changes. */
const char *abtc_search_links(apr_pool_t *p, const abtc_search_t *s,
                              const abtc_search_req_t *sr,
                              const char *base_url, int has_more);

#endif
