/* abtc_links: the _links object of a list page (#34, #38). */
#ifndef ABTC_LINKS_H
#define ABTC_LINKS_H

#include <apr_pools.h>
#include <apr_tables.h>

/* {"self":{href,method}, "prev":…, "next":…}. params (abtc_param_t) are
 * kept in the order given and re-encoded; offset is appended when not 0.
 * prev appears only when offset > 0, next only when has_more. */
const char *abtc_links_page(apr_pool_t *p, const char *base_url,
                            const char *path,
                            const apr_array_header_t *params,
                            apr_int64_t offset, apr_int64_t limit,
                            int has_more);

/* base_url + path + ("?" query), query built from params and offset. */
const char *abtc_links_href(apr_pool_t *p, const char *base_url,
                            const char *path,
                            const apr_array_header_t *params,
                            apr_int64_t offset);

#endif
