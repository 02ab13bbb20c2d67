/* abtc_resource: the one description of every resource of the API.
 *
 * For each resource: its table, its input fields (JSON names and accepted
 * spellings, value type, column, normaliser, required-on-create), the JSON
 * document PostgreSQL builds for it on output, and for the three list
 * endpoints and GET /customers their filters and sort keys. The body
 * mapper (abtc_body), the SQL builders (abtc_sql, abtc_search) and the
 * JSON documents all read these tables; SQL identifiers and fragments come
 * only from here, values only travel as $n parameters.
 */
#ifndef ABTC_RESOURCE_H
#define ABTC_RESOURCE_H

#include <apr_pools.h>
#include <apr.h>

/* ---- lookups (ERRATA D3, D4, #21), mirrored by sql/001_schema.sql ---- */

typedef struct {
    int id;
    const char *name;
} abtc_lookup_entry_t;

typedef struct {
    const char *id_name;                 /* "addressTypeId" */
    const char *object_name;             /* "addressType" */
    const abtc_lookup_entry_t *entries;
    int count;
} abtc_lookup_t;

/* Name of a lookup id, or NULL when the id is unknown. */
const char *abtc_lookup_name(const abtc_lookup_t *lk, apr_int64_t id);

/* ---- input fields ---- */

typedef const char *(*abtc_norm_fn)(apr_pool_t *p, const char *in);

typedef enum {
    ABTC_V_INT,        /* JSON integer in [min, max] */
    ABTC_V_BOOL,       /* JSON true/false */
    ABTC_V_TEXT,       /* JSON string, 1..max characters, then norm */
    ABTC_V_DATE,       /* "YYYY-MM-DD" */
    ABTC_V_DATETIME,   /* D7 instant, stored through abt_ts_in() */
    ABTC_V_LOOKUP,     /* id of lookup: n, "n", or {<id_name>: n, name} */
    ABTC_V_IGNORED     /* read-only: accepted and ignored (#7) */
} abtc_vtype_t;

#define ABTC_F_REQUIRED  0x01  /* required on create (ERRATA #8, D1) */
#define ABTC_F_NOT_NULL  0x02  /* JSON null refused (NOT NULL column) */
#define ABTC_F_NUMSTR    0x04  /* TEXT that also accepts a JSON integer */
#define ABTC_F_SELF_ID   0x08  /* IGNORED id: on PATCH must equal the path id */
#define ABTC_F_POSTCODE  0x20  /* TEXT checked by the body's country (#27) */

typedef struct {
    const char *name;        /* canonical JSON name (flat input form) */
    const char *alias;       /* a second accepted spelling, or NULL */
    abtc_vtype_t type;
    const char *column;      /* NULL for IGNORED */
    const abtc_lookup_t *lookup;
    abtc_norm_fn norm;       /* TEXT: stored form or NULL = invalid */
    const char *norm_reason; /* what the normaliser requires */
    apr_int64_t min, max;    /* INT range; TEXT maximum length */
    unsigned flags;
} abtc_field_t;

/* ---- output documents ---- */

typedef struct abtc_out abtc_out_t;
struct abtc_out {
    const char *name;          /* JSON member name; NULL ends a list */
    const char *expr;          /* SQL expression of the value */
    const abtc_out_t *object;  /* or: a nested object of these members */
    const char *from;          /* with object: "(SELECT <object> FROM ...)"
                                  when array is 0, an array when 1 */
    const char *order;         /* array order */
    int array;
};

/* ---- resources ---- */

typedef struct {
    const char *name;           /* "address", for problem details */
    const char *table;
    const char *id_column;
    const char *id_name;        /* "addressId" */
    const char *parent_column;  /* set from the path id on create */
    const char *parent_name;    /* "customerProfileId" / "billingInformationId" */
    const char *owner_sql;      /* customer_profile_id of a row, in RETURNING */
    const char *const *envelopes;   /* accepted envelope keys, NULL-ended */
    const abtc_field_t *fields;     /* name == NULL ends */
    const char *on_update_sql;      /* extra "col = expr" on every UPDATE */
} abtc_resource_t;

extern const abtc_resource_t abtc_res_customer;     /* customer_profile */
extern const abtc_resource_t abtc_res_person;       /* same table, person{} */
extern const abtc_resource_t abtc_res_status;
extern const abtc_resource_t abtc_res_preference;
extern const abtc_resource_t abtc_res_address;
extern const abtc_resource_t abtc_res_phone;
extern const abtc_resource_t abtc_res_token;
extern const abtc_resource_t abtc_res_chipcard;
extern const abtc_resource_t abtc_res_billing;
extern const abtc_resource_t abtc_res_mandate;

const abtc_field_t *abtc_resource_field(const abtc_resource_t *res,
                                        const char *name);

/* ---- searches ---- */

typedef enum {
    ABTC_Q_INT,          /* one integer */
    ABTC_Q_INT_LIST,     /* integers, comma lists or repeated */
    ABTC_Q_TEXT,         /* case-insensitive exact text (after norm) */
    ABTC_Q_UUID,
    ABTC_Q_DATE,
    ABTC_Q_INSTANT,      /* *Before / *After: instant or date (D25) */
    ABTC_Q_INSTANT_EQ,   /* expirationDate: instant, or a whole day */
    ABTC_Q_ENUM_LIST     /* mandateState: upper-case words of a set */
} abtc_qtype_t;

typedef struct {
    const char *name;         /* documented parameter name */
    const char *alias;        /* another accepted spelling, or NULL */
    abtc_qtype_t type;
    int group;                /* 0: the main row; n: groups[n - 1] */
    const char *sql;          /* condition; "%s" is the parameter */
    const char *sql_day;      /* INSTANT_EQ given a date: "%s" twice */
    abtc_norm_fn norm;        /* TEXT value normaliser (may be NULL) */
    const char *const *enum_values;
} abtc_filter_t;

typedef struct {
    const char *name;
    const char *sql;
} abtc_sort_t;

typedef struct {
    const char *doc_function;  /* SQL function building a page's documents */
    const char *path;          /* "/customers": routed path for _links */
    const char *list_name;     /* "customers" */
    const char *from;          /* "customer_profile c" */
    const char *id_sql;        /* "c.customer_profile_id": final tiebreak */
    const abtc_out_t *doc;     /* members of one item */
    const abtc_filter_t *filters;   /* name == NULL ends */
    const char *const *groups;      /* "EXISTS (SELECT 1 FROM ... WHERE ..." */
    const abtc_sort_t *sorts;       /* name == NULL ends */
} abtc_search_t;

extern const abtc_search_t abtc_search_customers;
extern const abtc_search_t abtc_search_tokens;
extern const abtc_search_t abtc_search_billing;
extern const abtc_search_t abtc_search_mandates;

/* Lookup tables, for tests and the body mapper. */
extern const abtc_lookup_t abtc_lk_debtor_status;
extern const abtc_lookup_t abtc_lk_customer_status;
extern const abtc_lookup_t abtc_lk_language;
extern const abtc_lookup_t abtc_lk_address_type;
extern const abtc_lookup_t abtc_lk_phone_type;
extern const abtc_lookup_t abtc_lk_token_type;
extern const abtc_lookup_t abtc_lk_token_status;
extern const abtc_lookup_t abtc_lk_mandate_type;

#endif
