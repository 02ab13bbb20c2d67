/* abtc_body.c: JSON request body -> validated field values. */

#include "abtc_body.h"
#include "abtc_format.h"

#include <apr_strings.h>
#include <string.h>

/* JSON pointer escaping (RFC 6901) of one reference token. */
static const char *pointer_join(apr_pool_t *p, const char *base,
                                const char *key)
{
    const char *k;
    char *out, *o;

    out = o = apr_palloc(p, strlen(key) * 2 + 1);
    for (k = key; *k; k++) {
        if (*k == '~') {
            *o++ = '~';
            *o++ = '0';
        }
        else if (*k == '/') {
            *o++ = '~';
            *o++ = '1';
        }
        else {
            *o++ = *k;
        }
    }
    *o = '\0';
    return apr_pstrcat(p, base, "/", out, NULL);
}

json_object *abtc_body_unwrap(apr_pool_t *p, const abtc_resource_t *res,
                              json_object *body, const char **ptr,
                              abtc_problem_t *pr)
{
    const char *const *env;

    *ptr = "";
    if (!json_object_is_type(body, json_type_object)) {
        abtc_problem_field(pr, p, "", "must be a JSON object");
        return NULL;
    }
    json_object_object_foreach(body, key, val) {
        /* {"customerStatus": {...}} is both the status envelope and the
         * nested spelling of customerStatusId (#3); read as the latter,
         * a "name" beside the id is understood too */
        if (abtc_resource_field(res, key)) {
            continue;
        }
        for (env = res->envelopes; *env; env++) {
            if (strcasecmp(key, *env)) {
                continue;
            }
            if (json_object_object_length(body) == 1
                && json_object_is_type(val, json_type_object)) {
                *ptr = pointer_join(p, "", key);
                return val;
            }
            if (json_object_object_length(body) > 1
                && json_object_is_type(val, json_type_object)) {
                abtc_problem_field(pr, p, apr_pstrcat(p, "/", key, NULL),
                                   "an envelope must be the only member of "
                                   "the request body");
                return NULL;
            }
        }
    }
    return body;
}

/* C0 controls, DEL and C1 controls (U+0080..U+009F): never part of a
 * name, address or reference, and a way to smuggle line breaks into
 * whatever later prints the value. */
static int has_control(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c < 0x20 || c == 0x7f
            || (c == 0xc2 && (unsigned char)s[1] >= 0x80
                && (unsigned char)s[1] <= 0x9f)) {
            return 1;
        }
    }
    return 0;
}

static apr_size_t utf8_length(const char *s)
{
    apr_size_t n = 0;

    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

/* An integer as JSON gives it: json_type_int only (doubles, including
 * integers out of int64 range, are refused rather than saturated). */
static int json_int(json_object *v, apr_int64_t *out)
{
    if (!json_object_is_type(v, json_type_int)) {
        return 0;
    }
    *out = json_object_get_int64(v);
    return 1;
}

/* The id of a lookup given as n, "n" or {<id_name>: n, name: s}. Returns
 * NULL on success, else the reason. */
static const char *lookup_id(apr_pool_t *p, const abtc_lookup_t *lk,
                             json_object *v, apr_int64_t *id)
{
    const char *name = NULL;

    if (json_object_is_type(v, json_type_object)) {
        json_object *idv = NULL;

        json_object_object_foreach(v, key, val) {
            if (!strcmp(key, lk->id_name)) {
                idv = val;
            }
            else if (!strcmp(key, "name") || !strcmp(key, "description")) {
                if (!json_object_is_type(val, json_type_string)) {
                    return apr_pstrcat(p, key, " must be a string", NULL);
                }
                if (!strcmp(key, "name")) {
                    name = json_object_get_string(val);
                }
            }
            else {
                return apr_pstrcat(p, "unknown member ", key, NULL);
            }
        }
        if (!idv) {
            return apr_pstrcat(p, "must contain ", lk->id_name, NULL);
        }
        v = idv;
    }
    if (json_object_is_type(v, json_type_string)) {
        /* #5: numeric strings are accepted for ids */
        if (!abtc_int_parse(json_object_get_string(v), 1, 2147483647, id)) {
            return "must be an integer id";
        }
    }
    else if (!json_int(v, id)) {
        return "must be an integer id";
    }
    {
        const char *known = abtc_lookup_name(lk, *id);

        if (!known) {
            return apr_psprintf(p, "unknown %s %" APR_INT64_T_FMT,
                                lk->id_name, *id);
        }
        /* #4: a name that contradicts the id is refused; case is ignored
         * because the seed's own examples vary it (#19) */
        if (name && strcasecmp(name, known)) {
            return apr_psprintf(p, "name \"%s\" does not match %s %"
                                APR_INT64_T_FMT, name, lk->id_name, *id);
        }
    }
    return NULL;
}

/* Convert one JSON value for field f. Returns NULL on success (with *out
 * set, NULL meaning SQL NULL) or the reason it is refused. */
static const char *convert(apr_pool_t *p, const abtc_field_t *f,
                           json_object *v, const char *country,
                           const char **out)
{
    apr_int64_t n;
    const char *s;

    *out = NULL;
    if (v == NULL) {
        return (f->flags & ABTC_F_NOT_NULL) ? "must not be null" : NULL;
    }
    switch (f->type) {
    case ABTC_V_INT:
        if (!json_int(v, &n)) {
            return "must be an integer";
        }
        if (n < f->min || n > f->max) {
            return apr_psprintf(p, "must be between %" APR_INT64_T_FMT
                                " and %" APR_INT64_T_FMT, f->min, f->max);
        }
        *out = apr_psprintf(p, "%" APR_INT64_T_FMT, n);
        return NULL;
    case ABTC_V_BOOL:
        if (!json_object_is_type(v, json_type_boolean)) {
            return "must be true or false";
        }
        *out = json_object_get_boolean(v) ? "true" : "false";
        return NULL;
    case ABTC_V_LOOKUP:
        s = lookup_id(p, f->lookup, v, &n);
        if (s) {
            return s;
        }
        *out = apr_psprintf(p, "%" APR_INT64_T_FMT, n);
        return NULL;
    case ABTC_V_DATE:
        if (!json_object_is_type(v, json_type_string)) {
            return "must be a date string YYYY-MM-DD";
        }
        *out = abtc_date_normalize(p, json_object_get_string(v));
        return *out ? NULL : "must be a valid date YYYY-MM-DD";
    case ABTC_V_DATETIME:
        if (!json_object_is_type(v, json_type_string)) {
            return "must be a date-time string";
        }
        s = json_object_get_string(v);
        *out = abtc_datetime_normalize(p, s, 1, NULL);
        if (!*out) {
            /* D8: the seed's error shape; dates are not personal data */
            return apr_psprintf(p, "'%s' is not a valid Datetime",
                                strlen(s) > 40 ? "(value too long)" : s);
        }
        return NULL;
    case ABTC_V_TEXT:
        if (json_object_is_type(v, json_type_int) && (f->flags & ABTC_F_NUMSTR)) {
            n = json_object_get_int64(v);
            if (n < 0) {
                return "must be a string";
            }
            s = apr_psprintf(p, "%" APR_INT64_T_FMT, n);
        }
        else if (json_object_is_type(v, json_type_double)
                 && (f->flags & ABTC_F_NUMSTR)) {
            /* a long digit run (beyond int64) keeps its exact text */
            s = json_object_get_string(v);
            if (!abtc_int_parse(s, 0, APR_INT64_MAX, &n)
                && strspn(s, "0123456789") != strlen(s)) {
                return "must be a string";
            }
        }
        else if (!json_object_is_type(v, json_type_string)) {
            return "must be a string";
        }
        else {
            s = json_object_get_string(v);
        }
        if (has_control(s)) {
            return "must not contain control characters";
        }
        if (f->max && utf8_length(s) > (apr_size_t)f->max) {
            return apr_psprintf(p, "must be at most %" APR_INT64_T_FMT
                                " characters", f->max);
        }
        if ((f->flags & ABTC_F_POSTCODE) && country) {
            /* #27: the rules of the country named in the same body */
            *out = abtc_postcode_normalize(p, s, country);
            if (!*out) {
                return strcmp(country, "NL")
                    ? "must be a postal code"
                    : "must be a Dutch postal code like 1234AB";
            }
            return NULL;
        }
        *out = f->norm ? f->norm(p, s) : s;
        if (!*out) {
            return f->norm_reason ? f->norm_reason : "is not valid";
        }
        return NULL;
    case ABTC_V_IGNORED:
        return NULL;
    }
    return "is not valid";
}

static int in_list(const char *const *list, const char *key)
{
    if (!list) {
        return 0;
    }
    for (; *list; list++) {
        if (!strcmp(*list, key)) {
            return 1;
        }
    }
    return 0;
}

apr_array_header_t *abtc_body_map(apr_pool_t *p, const abtc_resource_t *res,
                                  json_object *obj, abtc_body_mode_t mode,
                                  apr_int64_t self_id, const char *ptr,
                                  const char *const *extra,
                                  abtc_problem_t *pr)
{
    apr_array_header_t *values = apr_array_make(p, 8, sizeof(abtc_value_t));
    const abtc_field_t *f;
    const char *country = NULL;
    json_object *cv;

    if (!json_object_is_type(obj, json_type_object)) {
        abtc_problem_field(pr, p, ptr, "must be a JSON object");
        return values;
    }
    if (json_object_object_get_ex(obj, "country", &cv)
        && json_object_is_type(cv, json_type_string)) {
        country = abtc_country_normalize(p, json_object_get_string(cv));
    }

    /* every key must be a known spelling of some field */
    json_object_object_foreach(obj, key, member) {
        (void)member;
        if (!abtc_resource_field(res, key) && !in_list(extra, key)) {
            abtc_problem_field(pr, p, pointer_join(p, ptr, key),
                               apr_pstrcat(p, "unknown field of ", res->name,
                                           NULL));
        }
    }

    for (f = res->fields; f->name; f++) {
        const char *spellings[3];
        const char *chosen = NULL, *chosen_key = NULL;
        int given = 0, i, nspell = 0;

        spellings[nspell++] = f->name;
        if (f->alias) {
            spellings[nspell++] = f->alias;
        }
        if (f->type == ABTC_V_LOOKUP) {
            spellings[nspell++] = f->lookup->object_name;
        }
        for (i = 0; i < nspell; i++) {
            json_object *v;
            const char *val, *why, *where;

            if (!json_object_object_get_ex(obj, spellings[i], &v)) {
                continue;
            }
            where = pointer_join(p, ptr, spellings[i]);
            if (f->type == ABTC_V_IGNORED) {
                apr_int64_t n;

                /* #7: read-only ids; on PATCH they must name the target */
                if ((f->flags & ABTC_F_SELF_ID) && mode == ABTC_BODY_PATCH
                    && v != NULL
                    && (!json_int(v, &n) || n != self_id)) {
                    abtc_problem_field(pr, p, where,
                                       "is read-only and must equal the id "
                                       "in the path");
                }
                continue;
            }
            why = convert(p, f, v, country, &val);
            if (why) {
                if (f->type == ABTC_V_DATETIME && !pr->detail) {
                    /* D8: the seed's own error shape for date-times */
                    pr->title = "Your request contains an invalid datatype";
                    pr->detail = why;
                }
                abtc_problem_field(pr, p, where, why);
                given = -1;
                break;
            }
            if (given && ((chosen == NULL) != (val == NULL)
                          || (chosen && strcmp(chosen, val)))) {
                abtc_problem_field(pr, p, where,
                                   apr_pstrcat(p, "conflicts with ",
                                               chosen_key, NULL));
                given = -1;
                break;
            }
            given = 1;
            chosen = val;
            chosen_key = spellings[i];
        }
        if (given == 1) {
            abtc_value_t *out = apr_array_push(values);

            out->field = f;
            out->value = chosen;
        }
        else if (given == 0 && mode == ABTC_BODY_CREATE
                 && (f->flags & ABTC_F_REQUIRED)) {
            abtc_problem_field(pr, p, pointer_join(p, ptr, f->name),
                               "is required");
        }
    }
    return values;
}

const char *abtc_body_value(const apr_array_header_t *values,
                            const char *name, int *present)
{
    int i;

    for (i = 0; i < values->nelts; i++) {
        const abtc_value_t *v = &APR_ARRAY_IDX(values, i, abtc_value_t);

        if (!strcmp(v->field->name, name)) {
            if (present) {
                *present = 1;
            }
            return v->value;
        }
    }
    if (present) {
        *present = 0;
    }
    return NULL;
}
