/* abtc_resource.c: field, document, filter and sort tables of every
 * resource. Behaviour lives in abtc_body / abtc_sql / abtc_search; this
 * file is data, so that adding a field is adding a line.
 *
 * SQL conventions: in documents $1 is the output time zone (D7) and $2 the
 * public base URL (#38); filter values follow as $3, $4, ...
 */

#include "abtc_resource.h"
#include "abtc_format.h"

#include <apr_strings.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Lookups                                                             */

#define LOOKUP(var, idn, objn, entries) \
    const abtc_lookup_t var = { idn, objn, entries, \
                                sizeof(entries) / sizeof(entries[0]) }

static const abtc_lookup_entry_t debtor_status_entries[] = {
    { 1, "Inactive" }, { 2, "Active" } };
static const abtc_lookup_entry_t customer_status_entries[] = {
    { 1, "Inactive" }, { 2, "Active" }, { 3, "Blocked" }, { 4, "Frozen" },
    { 5, "Cleaned" } };
static const abtc_lookup_entry_t language_entries[] = { { 1, "Dutch" } };
static const abtc_lookup_entry_t address_type_entries[] = {
    { 1, "Shipping" }, { 2, "Billing" } };
static const abtc_lookup_entry_t phone_type_entries[] = {
    { 1, "Home" }, { 2, "Work" } };
static const abtc_lookup_entry_t token_type_entries[] = {
    { 1, "EMV" }, { 2, "OV-pas physical" }, { 3, "OV-pas digital" } };
static const abtc_lookup_entry_t token_status_entries[] = {
    { 1, "Retired" }, { 2, "Active" }, { 3, "Replaced" }, { 4, "On Stock" },
    { 5, "Suspended" }, { 6, "Removed by customer" },
    { 7, "Renewed Active" } };
static const abtc_lookup_entry_t mandate_type_entries[] = {
    { 1, "Paper contract" }, { 2, "PIN transaction" },
    { 3, "SEPA eMandate" }, { 4, "Digital signature" },
    { 5, "iDEAL transaction" } };

LOOKUP(abtc_lk_debtor_status, "debtorStatusId", "debtorStatus",
       debtor_status_entries);
LOOKUP(abtc_lk_customer_status, "customerStatusId", "customerStatus",
       customer_status_entries);
LOOKUP(abtc_lk_language, "languageId", "language", language_entries);
LOOKUP(abtc_lk_address_type, "addressTypeId", "addressType",
       address_type_entries);
LOOKUP(abtc_lk_phone_type, "phoneTypeId", "phoneType", phone_type_entries);
LOOKUP(abtc_lk_token_type, "tokenTypeId", "tokenType", token_type_entries);
LOOKUP(abtc_lk_token_status, "tokenStatusId", "tokenStatus",
       token_status_entries);
LOOKUP(abtc_lk_mandate_type, "directDebitMandateTypeId",
       "directDebitMandateType", mandate_type_entries);

const char *abtc_lookup_name(const abtc_lookup_t *lk, apr_int64_t id)
{
    int i;

    for (i = 0; i < lk->count; i++) {
        if (lk->entries[i].id == id) {
            return lk->entries[i].name;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Normalisers that are not plain format validators                    */

static const char *norm_trimmed(apr_pool_t *p, const char *in)
{
    /* Free text is stored as given, but not blank. */
    const char *s = in;

    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
        s++;
    }
    return *s ? in : NULL;
}

static const char *norm_digits(apr_pool_t *p, const char *in)
{
    const char *s;

    if (!*in || strlen(in) > 19) {
        return NULL;
    }
    for (s = in; *s; s++) {
        if (*s < '0' || *s > '9') {
            return NULL;
        }
    }
    return in;
}

/* Upper case of in when every character is a letter, a digit or one of
 * extra; NULL otherwise. */
static const char *upper_of(apr_pool_t *p, const char *in, const char *extra)
{
    char *out = apr_pstrdup(p, in), *s;

    if (!*out) {
        return NULL;
    }
    for (s = out; *s; s++) {
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 'a' + 'A');
        }
        else if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
                   || (*s && strchr(extra, *s)))) {
            return NULL;
        }
    }
    return out;
}

/* #13: an OV-pas number is letters and digits */
static const char *norm_alnum_upper(apr_pool_t *p, const char *in)
{
    return upper_of(p, in, "");
}

/* A postal code whose country is not known here (a PATCH without country,
 * a filter): the NL form when it has that shape, else letters, digits,
 * spaces and dashes in upper case. abtc_body applies the rules of the
 * country when the body names one; the database refuses an NL address
 * whose code is not NL-shaped whatever the order of changes. */
static const char *norm_postcode(apr_pool_t *p, const char *in)
{
    const char *nl = abtc_postcode_normalize(p, in, "NL");

    return nl ? nl : upper_of(p, in, " -");
}

/* A calling code in a query: "+31" sent unencoded arrives as " 31" (a
 * form-encoded '+' is a space), which can only have meant +31. */
static const char *norm_cc_filter(apr_pool_t *p, const char *in)
{
    while (*in == ' ') {
        in++;
    }
    return abtc_phone_cc_normalize(p, in);
}

/* Filters compare compact upper-case IBANs without judging them: a search
 * for a mistyped IBAN simply finds nothing (the seed's own example value
 * has no valid check digits). */
static const char *norm_iban_filter(apr_pool_t *p, const char *in)
{
    char *out = apr_palloc(p, strlen(in) + 1), *o = out;

    for (; *in; in++) {
        if (*in == ' ') {
            continue;
        }
        *o++ = (*in >= 'a' && *in <= 'z') ? (char)(*in - 'a' + 'A') : *in;
    }
    *o = '\0';
    return *out ? out : NULL;
}

static const char *const mandate_states[] = { "PREPARED", "SIGNED",
                                              "CANCELLED", NULL };

/* #22: an upper-case enum; any other spelling is refused */
static const char *norm_mandate_state(apr_pool_t *p, const char *in)
{
    int i;

    for (i = 0; mandate_states[i]; i++) {
        if (!strcmp(in, mandate_states[i])) {
            return mandate_states[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Input fields                                                        */

#define TEXT_MAX 255
#define INT32_MAX_ 2147483647
#define ID_MAX APR_INT64_MAX

#define F_IGNORED(n, fl) { n, NULL, ABTC_V_IGNORED, NULL, NULL, NULL, NULL, \
                           0, 0, fl }
#define F_END { NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, 0 }

static const abtc_field_t customer_fields[] = {
    { "debtorStatusId", NULL, ABTC_V_LOOKUP, "debtor_status_id",
      &abtc_lk_debtor_status, NULL, NULL, 0, 0, ABTC_F_NOT_NULL },
    /* D14: lastLogin is settable through PATCH /customers/{id} */
    { "lastLogin", NULL, ABTC_V_DATETIME, "last_login", NULL, NULL, NULL,
      0, 0, 0 },
    F_END
};

static const abtc_field_t person_fields[] = {
    F_IGNORED("personId", ABTC_F_SELF_ID),
    { "birthname", NULL, ABTC_V_TEXT, "birthname", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, 0 },
    { "surname", NULL, ABTC_V_TEXT, "surname", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, 0 },
    { "prefix", NULL, ABTC_V_TEXT, "prefix", NULL, norm_trimmed,
      "must not be blank", 0, 64, 0 },
    { "suffix", NULL, ABTC_V_TEXT, "suffix", NULL, norm_trimmed,
      "must not be blank", 0, 64, 0 },
    { "dateOfBirth", NULL, ABTC_V_DATE, "date_of_birth", NULL, NULL, NULL,
      0, 0, 0 },
    /* #9: one e-mail per person, either spelling on input */
    { "emailAddress", "emailAddresses", ABTC_V_TEXT, "email_address", NULL,
      abtc_email_normalize, "must be an e-mail address", 0, 254, 0 },
    F_END
};

static const abtc_field_t status_fields[] = {
    { "customerStatusId", NULL, ABTC_V_LOOKUP, "customer_status_id",
      &abtc_lk_customer_status, NULL, NULL, 0, 0,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    F_END
};

static const abtc_field_t preference_fields[] = {
    F_IGNORED("customerPreferenceId", ABTC_F_SELF_ID),
    { "languageId", NULL, ABTC_V_LOOKUP, "language_id", &abtc_lk_language,
      NULL, NULL, 0, 0, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    F_END
};

static const abtc_field_t address_fields[] = {
    F_IGNORED("addressId", ABTC_F_SELF_ID),
    { "street", NULL, ABTC_V_TEXT, "street", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "houseNumber", NULL, ABTC_V_INT, "house_number", NULL, NULL, NULL,
      0, 999999, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "houseNumberSuffix", NULL, ABTC_V_TEXT, "house_number_suffix", NULL,
      norm_trimmed, "must not be blank", 0, 16, 0 },
    { "postalCode", NULL, ABTC_V_TEXT, "postal_code", NULL, norm_postcode,
      "must be a postal code", 0, 16,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL | ABTC_F_POSTCODE },
    { "city", NULL, ABTC_V_TEXT, "city", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "country", NULL, ABTC_V_TEXT, "country", NULL, abtc_country_normalize,
      "must be an ISO 3166-1 alpha-2 country code like NL", 0, 2,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "addressTypeId", NULL, ABTC_V_LOOKUP, "address_type_id",
      &abtc_lk_address_type, NULL, NULL, 0, 0,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    /* D2 */
    { "isPreferred", NULL, ABTC_V_BOOL, "is_preferred", NULL, NULL, NULL,
      0, 0, ABTC_F_NOT_NULL },
    F_END
};

static const abtc_field_t phone_fields[] = {
    F_IGNORED("phoneId", ABTC_F_SELF_ID),
    { "number", NULL, ABTC_V_TEXT, "number", NULL,
      abtc_phone_number_normalize, "must be a phone number of digits", 0, 32,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL | ABTC_F_NUMSTR },
    { "countryCode", NULL, ABTC_V_TEXT, "country_code", NULL,
      abtc_phone_cc_normalize, "must be a country calling code like +31",
      0, 8, ABTC_F_REQUIRED | ABTC_F_NOT_NULL | ABTC_F_NUMSTR },
    { "phoneTypeId", NULL, ABTC_V_LOOKUP, "phone_type_id",
      &abtc_lk_phone_type, NULL, NULL, 0, 0,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    /* D22 */
    { "isPreferred", NULL, ABTC_V_BOOL, "is_preferred", NULL, NULL, NULL,
      0, 0, ABTC_F_NOT_NULL },
    F_END
};

static const abtc_field_t chipcard_fields[] = {
    F_IGNORED("ovChipCardId", ABTC_F_SELF_ID),
    { "chipCardNumber", NULL, ABTC_V_TEXT, "chip_card_number", NULL,
      norm_trimmed, "must not be blank", 0, 32,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL | ABTC_F_NUMSTR },
    { "validUntil", NULL, ABTC_V_DATE, "valid_until", NULL, NULL, NULL,
      0, 0, 0 },
    { "alias", NULL, ABTC_V_TEXT, "alias", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, 0 },
    F_END
};

static const abtc_field_t token_fields[] = {
    F_IGNORED("ovPayTokenId", ABTC_F_SELF_ID),
    { "tokenTypeId", NULL, ABTC_V_LOOKUP, "token_type_id",
      &abtc_lk_token_type, NULL, NULL, 0, 0,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "xTat", NULL, ABTC_V_TEXT, "x_tat", NULL, abtc_uuid_normalize,
      "must be a UUID", 0, 36, 0 },
    { "xBot", NULL, ABTC_V_TEXT, "x_bot", NULL, abtc_uuid_normalize,
      "must be a UUID", 0, 36, 0 },
    { "alias", NULL, ABTC_V_TEXT, "alias", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, 0 },
    /* #12: a digit string, so that leading zeros survive */
    { "lastDigits", NULL, ABTC_V_TEXT, "last_digits", NULL, norm_digits,
      "must be a string of digits", 0, 19, ABTC_F_NUMSTR },
    /* #13: a string; a JSON number is stored as its digits */
    { "ovpasNumber", NULL, ABTC_V_TEXT, "ovpas_number", NULL,
      norm_alnum_upper, "must be letters and digits", 0, 32,
      ABTC_F_NUMSTR },
    { "tokenStatusId", NULL, ABTC_V_LOOKUP, "token_status_id",
      &abtc_lk_token_status, NULL, NULL, 0, 0,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "expirationDate", NULL, ABTC_V_DATETIME, "expiration_date", NULL, NULL,
      NULL, 0, 0, 0 },
    { "replacedByTokenId", NULL, ABTC_V_INT, "replaced_by_token_id", NULL,
      NULL, NULL, 1, ID_MAX, 0 },
    F_END
};

static const abtc_field_t billing_fields[] = {
    F_IGNORED("billingInformationId", ABTC_F_SELF_ID),
    F_IGNORED("created", 0),
    { "iban", NULL, ABTC_V_TEXT, "iban", NULL, abtc_iban_normalize,
      "must be a valid IBAN (ISO 13616)", 0, 64,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "bic", NULL, ABTC_V_TEXT, "bic", NULL, abtc_bic_normalize,
      "must be a valid BIC (ISO 9362) of 8 or 11 characters", 0, 11, 0 },
    { "ascription", NULL, ABTC_V_TEXT, "ascription", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "alias", NULL, ABTC_V_TEXT, "alias", NULL, norm_trimmed,
      "must not be blank", 0, TEXT_MAX, 0 },
    F_END
};

static const abtc_field_t mandate_fields[] = {
    F_IGNORED("directDebitMandateId", ABTC_F_SELF_ID),
    { "directDebitMandateTypeId", NULL, ABTC_V_LOOKUP,
      "direct_debit_mandate_type_id", &abtc_lk_mandate_type, NULL, NULL,
      0, 0, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    { "mandateReference", NULL, ABTC_V_TEXT, "mandate_reference", NULL,
      norm_trimmed, "must not be blank", 0, 35,
      ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    /* D6 */
    { "mandateState", NULL, ABTC_V_TEXT, "mandate_state", NULL,
      norm_mandate_state, "must be one of PREPARED, SIGNED, CANCELLED",
      0, 16, ABTC_F_REQUIRED | ABTC_F_NOT_NULL },
    F_END
};

/* Envelope keys (#1, #2), compared case-insensitively. */
static const char *const env_status[] = { "customerStatus", NULL };
static const char *const env_preference[] = { "customerPreference", NULL };
static const char *const env_address[] = { "customerAddress", "address",
                                           NULL };
static const char *const env_phone[] = { "phone", NULL };
static const char *const env_token[] = { "ovpaytoken", NULL };
static const char *const env_chipcard[] = { "ovChipcard", NULL };
static const char *const env_billing[] = { "billingInformation", NULL };
static const char *const env_mandate[] = { "directDebitMandate", NULL };
static const char *const env_none[] = { NULL };

#define OWNER "customer_profile_id"

const abtc_resource_t abtc_res_customer = {
    "customer profile", "customer_profile", "customer_profile_id",
    "customerProfileId", NULL, NULL, OWNER, env_none, customer_fields, NULL
};
const abtc_resource_t abtc_res_person = {
    "person", "customer_profile", "customer_profile_id",
    "customerProfileId", NULL, NULL, OWNER, env_none, person_fields, NULL
};
const abtc_resource_t abtc_res_status = {
    "customer status instance", "customer_status_instance",
    "customer_status_instance_id", "customerStatusInstanceId",
    "customer_profile_id", "customerProfileId", OWNER, env_status,
    status_fields, NULL
};
const abtc_resource_t abtc_res_preference = {
    "customer preference", "customer_preference", "customer_preference_id",
    "customerPreferenceId", "customer_profile_id", "customerProfileId",
    OWNER, env_preference, preference_fields, NULL
};
const abtc_resource_t abtc_res_address = {
    "address", "address", "address_id", "addressId", "customer_profile_id",
    "customerProfileId", OWNER, env_address, address_fields, NULL
};
const abtc_resource_t abtc_res_phone = {
    "phone", "phone", "phone_id", "phoneId", "customer_profile_id",
    "customerProfileId", OWNER, env_phone, phone_fields, NULL
};
const abtc_resource_t abtc_res_token = {
    "OV-pay token", "ov_pay_token", "ov_pay_token_id", "ovPayTokenId",
    "customer_profile_id", "customerProfileId", OWNER, env_token,
    token_fields, NULL
};
const abtc_resource_t abtc_res_chipcard = {
    "OV-chipcard", "ov_chipcard", "ov_chip_card_id", "ovChipCardId",
    "customer_profile_id", "customerProfileId", OWNER, env_chipcard,
    chipcard_fields, NULL
};
const abtc_resource_t abtc_res_billing = {
    "billing information", "billing_information", "billing_information_id",
    "billingInformationId", "customer_profile_id", "customerProfileId",
    OWNER, env_billing, billing_fields, NULL
};
const abtc_resource_t abtc_res_mandate = {
    "direct debit mandate", "direct_debit_mandate",
    "direct_debit_mandate_id", "directDebitMandateId",
    "billing_information_id", "billingInformationId",
    "(SELECT ob.customer_profile_id FROM billing_information ob"
    " WHERE ob.billing_information_id"
    " = direct_debit_mandate.billing_information_id)",
    env_mandate, mandate_fields,
    /* D27 */
    "update_timestamp = clock_timestamp()"
};

const abtc_field_t *abtc_resource_field(const abtc_resource_t *res,
                                        const char *name)
{
    const abtc_field_t *f;

    for (f = res->fields; f->name; f++) {
        if (!strcmp(f->name, name) || (f->alias && !strcmp(f->alias, name))) {
            return f;
        }
        if (f->type == ABTC_V_LOOKUP && !strcmp(f->lookup->object_name, name)) {
            return f;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Output documents (shapes of the seed's response examples, #23 formats) */

#define O_END { NULL, NULL, NULL, NULL, NULL, 0 }
#define O(n, e) { n, e, NULL, NULL, NULL, 0 }
#define O_OBJ(n, members) { n, NULL, members, NULL, NULL, 0 }
#define O_SUB(n, members, from) { n, NULL, members, from, NULL, 0 }
#define O_ARR(n, members, from, order) { n, NULL, members, from, order, 1 }

static const abtc_out_t link_self_customer[] = {
    O("href", "$2 || '/customers?customerProfileId=' || c.customer_profile_id"),
    O("method", "'GET'"),
    O_END
};
static const abtc_out_t links_customer[] = {
    O_OBJ("self", link_self_customer),
    O_END
};

static const abtc_out_t out_debtor_status[] = {
    O("debtorStatusId", "ds.debtor_status_id"),
    O("name", "ds.name"),
    O_END
};
static const abtc_out_t out_language[] = {
    O("languageId", "l.language_id"),
    O("name", "l.name"),
    O("ietfCode", "l.ietf_code"),
    O("iso639Code", "l.iso639_code"),
    O_END
};
static const abtc_out_t out_preference[] = {
    /* D18: the id, so PATCH /customerPreferences/{id} can be found */
    O("customerPreferenceId", "cp.customer_preference_id"),
    O_OBJ("language", out_language),
    O_END
};
static const abtc_out_t out_customer_status[] = {
    O("name", "cs.name"),
    O("customerStatusId", "cs.customer_status_id"),
    O_END
};
static const abtc_out_t out_status_instance[] = {
    /* D26 */
    O("customerStatusInstanceId", "si.customer_status_instance_id"),
    O_OBJ("customerStatus", out_customer_status),
    O("fromInclusive", "abt_ts_local_space_ms(si.from_inclusive, $1)"),
    O("toInclusive", "abt_ts_local_space_ms(si.to_inclusive, $1)"),
    O_END
};
static const abtc_out_t out_address_type[] = {
    O("addressTypeId", "at.address_type_id"),
    O("name", "at.name"),
    O_END
};
static const abtc_out_t out_address[] = {
    O("addressId", "a.address_id"),
    O("street", "a.street"),
    O("houseNumber", "a.house_number"),
    O("houseNumberSuffix", "a.house_number_suffix"),
    O("postalCode", "a.postal_code"),
    O("city", "a.city"),
    O("country", "a.country"),
    O("isPreferred", "a.is_preferred"),
    O_OBJ("addressType", out_address_type),
    O_END
};
static const abtc_out_t out_phone_type[] = {
    O("phoneTypeId", "pt.phone_type_id"),
    O("name", "pt.name"),
    O_END
};
static const abtc_out_t out_phone[] = {
    O("phoneId", "ph.phone_id"),
    O("number", "ph.number"),
    O("countryCode", "ph.country_code"),
    O_OBJ("phoneType", out_phone_type),
    O("isPreferred", "ph.is_preferred"),
    O_END
};
static const abtc_out_t out_person[] = {
    O("birthname", "c.birthname"),
    O("surname", "c.surname"),
    O("prefix", "c.prefix"),
    O("suffix", "c.suffix"),
    O("dateOfBirth", "to_char(c.date_of_birth, 'YYYY-MM-DD')"),
    O("emailAddresses", "c.email_address"),
    O_ARR("addresses", out_address,
          "address a JOIN address_type at"
          " ON at.address_type_id = a.address_type_id"
          " WHERE a.customer_profile_id = c.customer_profile_id",
          "a.address_id"),
    O_ARR("phones", out_phone,
          "phone ph JOIN phone_type pt ON pt.phone_type_id = ph.phone_type_id"
          " WHERE ph.customer_profile_id = c.customer_profile_id",
          "ph.phone_id"),
    O_END
};
static const abtc_out_t out_chipcard[] = {
    O("ovChipCardId", "oc.ov_chip_card_id"),
    O("chipCardNumber", "oc.chip_card_number"),
    O("validUntil", "to_char(oc.valid_until, 'YYYY-MM-DD')"),
    O("alias", "oc.alias"),
    O_END
};
static const abtc_out_t out_token_type[] = {
    O("tokenTypeId", "tt.token_type_id"),
    O("name", "tt.name"),
    O_END
};
static const abtc_out_t out_token_status[] = {
    O("tokenStatusId", "tst.token_status_id"),
    O("name", "tst.name"),
    O_END
};

#define TOKEN_TYPE_FROM "token_type tt WHERE tt.token_type_id = t.token_type_id"
#define TOKEN_STATUS_FROM \
    "token_status tst WHERE tst.token_status_id = t.token_status_id"

/* A token inside a customer document ... */
static const abtc_out_t out_token[] = {
    O("ovPayTokenId", "t.ov_pay_token_id"),
    O_SUB("tokenType", out_token_type, TOKEN_TYPE_FROM),
    O("xTat", "t.x_tat"),
    O("xBot", "t.x_bot"),
    O("alias", "t.alias"),
    O("lastDigits", "t.last_digits"),
    O("ovpasNumber", "t.ovpas_number"),
    O_SUB("tokenStatus", out_token_status, TOKEN_STATUS_FROM),
    O("expirationDate", "abt_ts_offset_ms(t.expiration_date, $1)"),
    O("replacedByTokenId", "t.replaced_by_token_id"),
    O_END
};
/* ... and in GET /ovpaytokens, which also names its customer. */
static const abtc_out_t out_token_item[] = {
    O("ovPayTokenId", "t.ov_pay_token_id"),
    O("customerProfileId", "t.customer_profile_id"),
    O_SUB("tokenType", out_token_type, TOKEN_TYPE_FROM),
    O("xTat", "t.x_tat"),
    O("xBot", "t.x_bot"),
    O("alias", "t.alias"),
    O("lastDigits", "t.last_digits"),
    O("ovpasNumber", "t.ovpas_number"),
    O_SUB("tokenStatus", out_token_status, TOKEN_STATUS_FROM),
    O("expirationDate", "abt_ts_offset_ms(t.expiration_date, $1)"),
    O("replacedByTokenId", "t.replaced_by_token_id"),
    O_END
};
static const abtc_out_t out_audit[] = {
    O("auditTrailId", "au.audit_trail_id"),
    O("customerProfileId", "au.customer_profile_id"),
    O("action", "au.action"),
    O("user", "au.\"user\""),
    O("timestamp", "abt_ts_offset_ms(au.\"timestamp\", $1)"),
    O("correlationId", "au.correlation_id"),
    O_END
};

static const abtc_out_t out_customer[] = {
    O("customerProfileId", "c.customer_profile_id"),
    O("customerNumber", "c.customer_number"),
    O("debtorNumber", "c.debtor_number"),
    O_SUB("debtorStatus", out_debtor_status,
          "debtor_status ds WHERE ds.debtor_status_id = c.debtor_status_id"),
    O("vasCustomerNumber", "c.vas_customer_number"),
    /* D14 */
    O("lastLogin", "abt_ts_offset_ms(c.last_login, $1)"),
    O_SUB("customerPreference", out_preference,
          "customer_preference cp JOIN language l"
          " ON l.language_id = cp.language_id"
          " WHERE cp.customer_profile_id = c.customer_profile_id"),
    O_ARR("customerStatusInstances", out_status_instance,
          "customer_status_instance si JOIN customer_status cs"
          " ON cs.customer_status_id = si.customer_status_id"
          " WHERE si.customer_profile_id = c.customer_profile_id",
          "si.from_inclusive, si.customer_status_instance_id"),
    O_OBJ("person", out_person),
    O_ARR("ovChipcards", out_chipcard,
          "ov_chipcard oc WHERE oc.customer_profile_id = c.customer_profile_id",
          "oc.ov_chip_card_id"),
    O_ARR("ovPayTokens", out_token,
          "ov_pay_token t WHERE t.customer_profile_id = c.customer_profile_id",
          "t.ov_pay_token_id"),
    O_ARR("auditTrails", out_audit,
          "audit_trail au WHERE au.customer_profile_id = c.customer_profile_id",
          "au.audit_trail_id"),
    O_OBJ("_links", links_customer),
    O_END
};

static const abtc_out_t out_billing_item[] = {
    O("billingInformationId", "b.billing_information_id"),
    O("customerProfileId", "b.customer_profile_id"),
    O("iban", "b.iban"),
    O("bic", "b.bic"),
    O("ascription", "b.ascription"),
    O("alias", "b.alias"),
    O("created", "abt_ts_local_ms(b.created, $1)"),
    O_END
};

static const abtc_out_t out_mandate_type[] = {
    O("directDebitMandateTypeId", "mt.direct_debit_mandate_type_id"),
    O("name", "mt.name"),
    O("description", "mt.description"),
    O_END
};
static const abtc_out_t out_mandate_item[] = {
    O("directDebitMandateId", "m.direct_debit_mandate_id"),
    O("customerProfileId",
      "(SELECT mb.customer_profile_id FROM billing_information mb"
      " WHERE mb.billing_information_id = m.billing_information_id)"),
    O("billingInformationId", "m.billing_information_id"),
    O_SUB("directDebitMandateType", out_mandate_type,
          "direct_debit_mandate_type mt"
          " WHERE mt.direct_debit_mandate_type_id"
          " = m.direct_debit_mandate_type_id"),
    O("created", "abt_ts_local_s(m.created, $1)"),
    O("mandateReference", "m.mandate_reference"),
    O("mandateState", "m.mandate_state"),
    O("updateTimestamp", "abt_ts_local_s(m.update_timestamp, $1)"),
    O_END
};

/* ------------------------------------------------------------------ */
/* Searches (D15, #42)                                                 */

#define Q(n, al, t, g, sql, norm) { n, al, t, g, sql, NULL, norm, NULL }
#define Q_END { NULL, NULL, 0, 0, NULL, NULL, NULL, NULL }
#define CI(col) "lower(" col ") = lower(%s)"

static const char *const customer_groups[] = {
    "EXISTS (SELECT 1 FROM customer_status_instance si"
    " WHERE si.customer_profile_id = c.customer_profile_id"
    " AND si.to_inclusive IS NULL",
    "EXISTS (SELECT 1 FROM address a"
    " WHERE a.customer_profile_id = c.customer_profile_id",
    "EXISTS (SELECT 1 FROM phone ph"
    " WHERE ph.customer_profile_id = c.customer_profile_id",
    "EXISTS (SELECT 1 FROM ov_chipcard oc"
    " WHERE oc.customer_profile_id = c.customer_profile_id",
    "EXISTS (SELECT 1 FROM ov_pay_token t"
    " WHERE t.customer_profile_id = c.customer_profile_id",
    "EXISTS (SELECT 1 FROM billing_information b"
    " WHERE b.customer_profile_id = c.customer_profile_id",
    "EXISTS (SELECT 1 FROM billing_information mb"
    " JOIN direct_debit_mandate m"
    " ON m.billing_information_id = mb.billing_information_id"
    " WHERE mb.customer_profile_id = c.customer_profile_id",
    NULL
};
enum { G_MAIN, G_STATUS, G_ADDRESS, G_PHONE, G_CHIPCARD, G_TOKEN, G_BILLING,
       G_MANDATE };

static const abtc_filter_t customer_filters[] = {
    Q("customerProfileId", NULL, ABTC_Q_INT, G_MAIN,
      "c.customer_profile_id = %s::bigint", NULL),
    Q("customerNumber", NULL, ABTC_Q_INT, G_MAIN,
      "c.customer_number = %s::bigint", NULL),
    Q("customerStatusId", NULL, ABTC_Q_INT_LIST, G_STATUS,
      "si.customer_status_id = ANY (%s::int[])", NULL),
    Q("debtorNumber", NULL, ABTC_Q_TEXT, G_MAIN, CI("c.debtor_number"), NULL),
    Q("debtorStatusId", NULL, ABTC_Q_INT_LIST, G_MAIN,
      "c.debtor_status_id = ANY (%s::int[])", NULL),
    Q("vasCustomerNumber", NULL, ABTC_Q_TEXT, G_MAIN,
      CI("c.vas_customer_number"), NULL),
    Q("lastLoginBefore", NULL, ABTC_Q_INSTANT, G_MAIN,
      "c.last_login <= abt_ts_in(%s, $1)", NULL),
    Q("lastLoginAfter", NULL, ABTC_Q_INSTANT, G_MAIN,
      "c.last_login >= abt_ts_in(%s, $1)", NULL),
    Q("birthname", NULL, ABTC_Q_TEXT, G_MAIN, CI("c.birthname"), NULL),
    Q("surname", NULL, ABTC_Q_TEXT, G_MAIN, CI("c.surname"), NULL),
    Q("prefix", NULL, ABTC_Q_TEXT, G_MAIN, CI("c.prefix"), NULL),
    Q("suffix", NULL, ABTC_Q_TEXT, G_MAIN, CI("c.suffix"), NULL),
    Q("emailAddress", "emailAddresses", ABTC_Q_TEXT, G_MAIN,
      CI("c.email_address"), NULL),
    Q("dateOfBirth", NULL, ABTC_Q_DATE, G_MAIN,
      "c.date_of_birth = %s::date", NULL),
    Q("addressStreet", NULL, ABTC_Q_TEXT, G_ADDRESS, CI("a.street"), NULL),
    Q("addressHouseNumber", NULL, ABTC_Q_INT, G_ADDRESS,
      "a.house_number = %s::int", NULL),
    Q("addressHouseNumberSuffix", NULL, ABTC_Q_TEXT, G_ADDRESS,
      CI("a.house_number_suffix"), NULL),
    Q("addressPostalCode", NULL, ABTC_Q_TEXT, G_ADDRESS,
      "a.postal_code = %s", norm_postcode),
    Q("addressCity", NULL, ABTC_Q_TEXT, G_ADDRESS, CI("a.city"), NULL),
    /* bpchar, not char(2): an explicit char(2) cast truncates "NLX" */
    Q("addressCountry", NULL, ABTC_Q_TEXT, G_ADDRESS,
      "a.country = upper(%s)::bpchar", NULL),
    Q("phoneNumber", NULL, ABTC_Q_TEXT, G_PHONE,
      "abt_digits(ph.number) = %s", abtc_phone_digits),
    Q("phoneCountryCode", NULL, ABTC_Q_TEXT, G_PHONE,
      "ph.country_code = %s", norm_cc_filter),
    Q("chipcardNumber", NULL, ABTC_Q_TEXT, G_CHIPCARD,
      CI("oc.chip_card_number"), NULL),
    Q("ovChipcardAlias", NULL, ABTC_Q_TEXT, G_CHIPCARD, CI("oc.alias"), NULL),
    Q("ovPasNumber", NULL, ABTC_Q_TEXT, G_TOKEN, CI("t.ovpas_number"), NULL),
    Q("ovPayTokenAlias", NULL, ABTC_Q_TEXT, G_TOKEN, CI("t.alias"), NULL),
    Q("ovPayTokenXTat", NULL, ABTC_Q_UUID, G_TOKEN, "t.x_tat = %s::uuid",
      NULL),
    Q("ovPayTokenXBot", NULL, ABTC_Q_UUID, G_TOKEN, "t.x_bot = %s::uuid",
      NULL),
    Q("mandateReference", NULL, ABTC_Q_TEXT, G_MANDATE,
      CI("m.mandate_reference"), NULL),
    Q("iban", NULL, ABTC_Q_TEXT, G_BILLING, "b.iban = %s", norm_iban_filter),
    Q("bic", NULL, ABTC_Q_TEXT, G_BILLING, "b.bic = upper(%s)", NULL),
    Q("ascription", NULL, ABTC_Q_TEXT, G_BILLING, CI("b.ascription"), NULL),
    Q("billingAlias", NULL, ABTC_Q_TEXT, G_BILLING, CI("b.alias"), NULL),
    Q_END
};

/* Text sorts ignore case, as text filters do, and so use the lower()
 * indexes instead of sorting the whole table. */
static const abtc_sort_t customer_sorts[] = {
    { "customerProfileId", "c.customer_profile_id" },
    { "customerNumber", "c.customer_number" },
    { "debtorNumber", "lower(c.debtor_number)" },
    { "debtorStatusId", "c.debtor_status_id" },
    { "vasCustomerNumber", "lower(c.vas_customer_number)" },
    { "lastLogin", "c.last_login" },
    { "birthname", "lower(c.birthname)" },
    { "surname", "lower(c.surname)" },
    { "prefix", "lower(c.prefix)" },
    { "suffix", "lower(c.suffix)" },
    { "emailAddress", "lower(c.email_address)" },
    { "dateOfBirth", "c.date_of_birth" },
    { NULL, NULL }
};

const abtc_search_t abtc_search_customers = {
    "abt_customer_documents", "/customers", "customers", "customer_profile c",
    "c.customer_profile_id", out_customer, customer_filters, customer_groups,
    customer_sorts
};

static const char *const no_groups[] = { NULL };

static const abtc_filter_t token_filters[] = {
    Q("ovPayTokenId", NULL, ABTC_Q_INT, G_MAIN,
      "t.ov_pay_token_id = %s::bigint", NULL),
    Q("customerProfileId", NULL, ABTC_Q_INT, G_MAIN,
      "t.customer_profile_id = %s::bigint", NULL),
    Q("tokenTypeId", NULL, ABTC_Q_INT_LIST, G_MAIN,
      "t.token_type_id = ANY (%s::int[])", NULL),
    Q("xTat", NULL, ABTC_Q_UUID, G_MAIN, "t.x_tat = %s::uuid", NULL),
    Q("xBot", NULL, ABTC_Q_UUID, G_MAIN, "t.x_bot = %s::uuid", NULL),
    Q("alias", NULL, ABTC_Q_TEXT, G_MAIN, CI("t.alias"), NULL),
    Q("lastDigits", NULL, ABTC_Q_TEXT, G_MAIN, "t.last_digits = %s",
      norm_digits),
    Q("ovpasNumber", NULL, ABTC_Q_TEXT, G_MAIN, CI("t.ovpas_number"), NULL),
    Q("tokenStatusId", NULL, ABTC_Q_INT_LIST, G_MAIN,
      "t.token_status_id = ANY (%s::int[])", NULL),
    { "expirationDate", NULL, ABTC_Q_INSTANT_EQ, G_MAIN,
      "t.expiration_date = abt_ts_in(%s, $1)",
      /* D25: a date alone matches that whole local day */
      "t.expiration_date >= abt_ts_in(%s, $1)"
      " AND t.expiration_date < abt_ts_in((%s::date + 1)::text, $1)",
      NULL, NULL },
    Q("replacedByTokenId", NULL, ABTC_Q_INT, G_MAIN,
      "t.replaced_by_token_id = %s::bigint", NULL),
    Q_END
};

static const abtc_sort_t token_sorts[] = {
    { "ovPayTokenId", "t.ov_pay_token_id" },
    { "customerProfileId", "t.customer_profile_id" },
    { "tokenTypeId", "t.token_type_id" },
    { "tokenStatusId", "t.token_status_id" },
    { "xTat", "t.x_tat" },
    { "xBot", "t.x_bot" },
    { "alias", "lower(t.alias)" },
    { "lastDigits", "t.last_digits" },
    { "ovpasNumber", "lower(t.ovpas_number)" },
    { "expirationDate", "t.expiration_date" },
    { "replacedByTokenId", "t.replaced_by_token_id" },
    { NULL, NULL }
};

const abtc_search_t abtc_search_tokens = {
    "abt_token_documents", "/ovpaytokens", "ovPayTokens", "ov_pay_token t",
    "t.ov_pay_token_id", out_token_item, token_filters, no_groups,
    token_sorts
};

static const abtc_filter_t billing_filters[] = {
    /* D12: an addition, so one billing information can be read back */
    Q("billingInformationId", NULL, ABTC_Q_INT, G_MAIN,
      "b.billing_information_id = %s::bigint", NULL),
    Q("customerProfileId", NULL, ABTC_Q_INT, G_MAIN,
      "b.customer_profile_id = %s::bigint", NULL),
    Q("iban", NULL, ABTC_Q_TEXT, G_MAIN, "b.iban = %s", norm_iban_filter),
    Q("bic", NULL, ABTC_Q_TEXT, G_MAIN, "b.bic = upper(%s)", NULL),
    Q("ascription", NULL, ABTC_Q_TEXT, G_MAIN, CI("b.ascription"), NULL),
    Q("alias", NULL, ABTC_Q_TEXT, G_MAIN, CI("b.alias"), NULL),
    Q("createdBefore", NULL, ABTC_Q_INSTANT, G_MAIN,
      "b.created <= abt_ts_in(%s, $1)", NULL),
    Q("createdAfter", NULL, ABTC_Q_INSTANT, G_MAIN,
      "b.created >= abt_ts_in(%s, $1)", NULL),
    Q_END
};

static const abtc_sort_t billing_sorts[] = {
    { "billingInformationId", "b.billing_information_id" },
    { "customerProfileId", "b.customer_profile_id" },
    { "iban", "b.iban" },
    { "bic", "b.bic" },
    { "ascription", "lower(b.ascription)" },
    { "alias", "lower(b.alias)" },
    { "created", "b.created" },
    { NULL, NULL }
};

const abtc_search_t abtc_search_billing = {
    "abt_billing_documents", "/billingInformations", "billingInformations",
    "billing_information b",
    "b.billing_information_id", out_billing_item, billing_filters, no_groups,
    billing_sorts
};

static const char *const mandate_groups[] = {
    "EXISTS (SELECT 1 FROM billing_information fb"
    " WHERE fb.billing_information_id = m.billing_information_id",
    NULL
};

static const abtc_filter_t mandate_filters[] = {
    Q("directDebitMandateId", NULL, ABTC_Q_INT, G_MAIN,
      "m.direct_debit_mandate_id = %s::bigint", NULL),
    Q("customerProfileId", NULL, ABTC_Q_INT, 1,
      "fb.customer_profile_id = %s::bigint", NULL),
    Q("billingInformationId", NULL, ABTC_Q_INT, G_MAIN,
      "m.billing_information_id = %s::bigint", NULL),
    Q("directDebitMandateTypeId", NULL, ABTC_Q_INT_LIST, G_MAIN,
      "m.direct_debit_mandate_type_id = ANY (%s::int[])", NULL),
    Q("createdBefore", NULL, ABTC_Q_INSTANT, G_MAIN,
      "m.created <= abt_ts_in(%s, $1)", NULL),
    Q("createdAfter", NULL, ABTC_Q_INSTANT, G_MAIN,
      "m.created >= abt_ts_in(%s, $1)", NULL),
    Q("mandateReference", NULL, ABTC_Q_TEXT, G_MAIN,
      CI("m.mandate_reference"), NULL),
    { "mandateState", NULL, ABTC_Q_ENUM_LIST, G_MAIN,
      "m.mandate_state = ANY (%s::text[])", NULL, NULL, mandate_states },
    Q("updatedBefore", NULL, ABTC_Q_INSTANT, G_MAIN,
      "m.update_timestamp <= abt_ts_in(%s, $1)", NULL),
    Q("updatedAfter", NULL, ABTC_Q_INSTANT, G_MAIN,
      "m.update_timestamp >= abt_ts_in(%s, $1)", NULL),
    Q_END
};

static const abtc_sort_t mandate_sorts[] = {
    { "directDebitMandateId", "m.direct_debit_mandate_id" },
    { "billingInformationId", "m.billing_information_id" },
    { "directDebitMandateTypeId", "m.direct_debit_mandate_type_id" },
    { "mandateReference", "lower(m.mandate_reference)" },
    { "mandateState", "m.mandate_state" },
    { "created", "m.created" },
    { "updateTimestamp", "m.update_timestamp" },
    { NULL, NULL }
};

const abtc_search_t abtc_search_mandates = {
    "abt_mandate_documents", "/directdebitmandates", "directDebitMandates",
    "direct_debit_mandate m",
    "m.direct_debit_mandate_id", out_mandate_item, mandate_filters,
    mandate_groups, mandate_sorts
};
