/* abtc_body: maps a parsed JSON request body onto a resource's fields.
 *
 * Input is liberal (ERRATA principles): envelope or flat (#1, #2), every
 * spelling of a field (#3, #9), lookups as n, "n" or {xId, name} (#3, #4,
 * #5), numbers where digit strings are stored (#12, #13, #26). Whatever no
 * spelling covers is a 400, never silently dropped. Every problem found is
 * collected, each naming its JSON pointer.
 */
#ifndef ABTC_BODY_H
#define ABTC_BODY_H

#include "abtc_problem.h"
#include "abtc_resource.h"

#include <json-c/json.h>

typedef struct {
    const abtc_field_t *field;
    const char *value;      /* text for the $n parameter; NULL = SQL NULL */
} abtc_value_t;

typedef enum { ABTC_BODY_CREATE, ABTC_BODY_PATCH } abtc_body_mode_t;

/* Unwrap the envelope of res (#1): an object with exactly one key that is
 * an envelope name of res (case-insensitive) whose value is an object.
 * A non-object body, or an envelope key beside other keys, is a problem
 * (returns NULL, adds to pr). *ptr is set to the JSON pointer of the
 * returned object ("" or "/<envelope>"). */
json_object *abtc_body_unwrap(apr_pool_t *p, const abtc_resource_t *res,
                              json_object *body, const char **ptr,
                              abtc_problem_t *pr);

/* Map obj (a JSON object) onto values of res, in the order of res->fields.
 * ptr is the JSON pointer of obj ("" for the root). self_id is the path id
 * a read-only id must equal on PATCH. Keys listed in extra (NULL-ended, may
 * be NULL) are left to the caller. Problems are added to pr; the returned
 * array (of abtc_value_t) is meaningful only when pr gained no errors. */
apr_array_header_t *abtc_body_map(apr_pool_t *p, const abtc_resource_t *res,
                                  json_object *obj, abtc_body_mode_t mode,
                                  apr_int64_t self_id, const char *ptr,
                                  const char *const *extra,
                                  abtc_problem_t *pr);

/* The value mapped for a field name, or NULL (also for SQL NULL). */
const char *abtc_body_value(const apr_array_header_t *values,
                            const char *name, int *present);

#endif
