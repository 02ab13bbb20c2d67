/* abtc_links.c: paging links. */

#include "abtc_links.h"
#include "abtc_problem.h"
#include "abtc_query.h"

#include <apr_strings.h>

const char *abtc_links_href(apr_pool_t *p, const char *base_url,
                            const char *path,
                            const apr_array_header_t *params,
                            apr_int64_t offset)
{
    const char *q = "";
    int i;

    for (i = 0; i < params->nelts; i++) {
        const abtc_param_t *pm = &APR_ARRAY_IDX(params, i, abtc_param_t);

        q = apr_pstrcat(p, q, *q ? "&" : "", abtc_query_escape(p, pm->name),
                        "=", abtc_query_escape(p, pm->value), NULL);
    }
    if (offset > 0) {
        q = apr_psprintf(p, "%s%soffset=%" APR_INT64_T_FMT, q, *q ? "&" : "",
                         offset);
    }
    return apr_pstrcat(p, base_url, path, *q ? "?" : "", q, NULL);
}

static const char *link_json(apr_pool_t *p, const char *rel, const char *href)
{
    return apr_pstrcat(p, "\"", rel, "\":{\"href\":", abtc_json_quote(p, href),
                       ",\"method\":\"GET\"}", NULL);
}

const char *abtc_links_page(apr_pool_t *p, const char *base_url,
                            const char *path,
                            const apr_array_header_t *params,
                            apr_int64_t offset, apr_int64_t limit,
                            int has_more)
{
    const char *out;

    out = link_json(p, "self", abtc_links_href(p, base_url, path, params, offset));
    if (offset > 0) {
        apr_int64_t prev = offset > limit ? offset - limit : 0;

        out = apr_pstrcat(p, out, ",", link_json(p, "prev",
                          abtc_links_href(p, base_url, path, params, prev)),
                          NULL);
    }
    if (has_more) {
        out = apr_pstrcat(p, out, ",", link_json(p, "next",
                          abtc_links_href(p, base_url, path, params,
                                          offset + limit)), NULL);
    }
    return apr_pstrcat(p, "{", out, "}", NULL);
}
