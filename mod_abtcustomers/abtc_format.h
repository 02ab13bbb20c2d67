/* abtc_format: validators and normalisers for the API's value formats.
 * APR-only; every function is pure and table-tested in tests/.
 * A normaliser returns the stored form (allocated from p) or NULL when the
 * input is invalid.
 */
#ifndef ABTC_FORMAT_H
#define ABTC_FORMAT_H

#include <apr_pools.h>
#include <apr.h>

/* Strict decimal integer: optional '-', digits, no spaces, no '+', no
 * leading zeros beyond a single "0", within [min, max]. 1 = ok. */
int abtc_int_parse(const char *s, apr_int64_t min, apr_int64_t max,
                   apr_int64_t *out);

/* A calendar date "YYYY-MM-DD" (real day: 2023-02-30 is invalid, leap years
 * respected, year 0001-9999). Returns the same string or NULL. */
const char *abtc_date_normalize(apr_pool_t *p, const char *s);

/* An instant as accepted on input (D7): "YYYY-MM-DD" 'T' or ' '
 * "HH:MM[:SS[.fraction]]" with optional "Z" or "+hh:mm"/"-hhmm"/"+hh".
 * Fraction 1-9 digits, cut to 6 (PostgreSQL keeps microseconds).
 * When allow_date_only is set, "YYYY-MM-DD" alone is accepted too and becomes "YYYY-MM-DDT00:00:00".
 * Returns a canonical form PostgreSQL reads with abt_ts_in():
 * "YYYY-MM-DDTHH:MM:SS[.ffffff]" followed by "Z"/"+hh:mm"/"-hh:mm" when the
 * input had a zone. *has_date_only (if not NULL) is set to 1 when the input
 * was a bare date. NULL when invalid (also for 24:00, minute 60, second 61,
 * an offset beyond ±15:59, a year before 1900 or after 9998). */
const char *abtc_datetime_normalize(apr_pool_t *p, const char *s,
                                    int allow_date_only, int *has_date_only);

/* IBAN (ISO 13616): spaces anywhere and lower case accepted; the country's
 * registered length and the mod-97 check must hold. Returns compact upper
 * case ("NL91ABNA0417164300"). Knows every IBAN country (SWIFT registry). */
const char *abtc_iban_normalize(apr_pool_t *p, const char *s);

/* BIC (ISO 9362): 8 or 11 characters, 4 letters bank code, 2 letters
 * country, 2 alnum location, optional 3 alnum branch. Lower case accepted;
 * returns upper case. */
const char *abtc_bic_normalize(apr_pool_t *p, const char *s);

/* ISO 3166-1 alpha-2 country code, assigned codes only. Lower case
 * accepted; returns upper case. */
const char *abtc_country_normalize(apr_pool_t *p, const char *s);

/* Postal code (#27). Trims, upper-cases; for country "NL" also removes a
 * single space between digits and letters and requires ^[0-9]{4}[A-Z]{2}$
 * ("0000AA" is valid, "1234 ab" → "1234AB"). For other countries: 1-10
 * characters of [A-Z0-9 -], returned upper case. country may be NULL
 * or "" (treated as NL). */
const char *abtc_postcode_normalize(apr_pool_t *p, const char *s,
                                    const char *country);

/* Phone country calling code (#26): "+31", "0031", "31" → "+31"; 1-3
 * digits after the prefix, no leading zero in the code itself. */
const char *abtc_phone_cc_normalize(apr_pool_t *p, const char *s);

/* Phone number (#26): kept as sent; 1-20 digits with optional single spaces
 * or dashes between them. Returns the input unchanged or NULL. */
const char *abtc_phone_number_normalize(apr_pool_t *p, const char *s);

/* Digits of a phone number (spaces and dashes removed), for filters. */
const char *abtc_phone_digits(apr_pool_t *p, const char *s);

/* UUID in 8-4-4-4-12 hex form, any case; returns lower case. */
const char *abtc_uuid_normalize(apr_pool_t *p, const char *s);

/* E-mail address: one '@', non-empty local part (max 64) and a domain of
 * dot-separated labels (letters, digits, '-'), total max 254, no spaces
 * or control characters. Returns the input unchanged or NULL. */
const char *abtc_email_normalize(apr_pool_t *p, const char *s);

/* Generate a random UUID v4 (lower case) from apr_generate_random_bytes. */
const char *abtc_uuid_v4(apr_pool_t *p);

/* Length (1-4) of the well-formed UTF-8 sequence at s, of which len bytes
 * are available, or 0 when there is none (RFC 3629: no overlong forms,
 * surrogates or code points beyond U+10FFFF). Shared by the query and JSON
 * parsers. */
apr_size_t abtc_utf8_seq_len(const char *s, apr_size_t len);

/* 1 when the len bytes at s are well-formed UTF-8. */
int abtc_utf8_valid(const char *s, apr_size_t len);

#endif
