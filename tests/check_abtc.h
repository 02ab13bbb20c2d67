/* check_abtc: Check unit tests of the APR-only core (no httpd needed). */
#ifndef CHECK_ABTC_H
#define CHECK_ABTC_H

#include <check.h>
#include <apr_pools.h>

#define ABTC_NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A fresh pool for every test: set up by abtc_test_pool_setup(), destroyed
 * by abtc_test_pool_teardown(); add both with tcase_add_checked_fixture. */
extern apr_pool_t *abtc_test_pool;
void abtc_test_pool_setup(void);
void abtc_test_pool_teardown(void);

/* A test case named name with the pool fixture, added to s. */
TCase *abtc_tcase(Suite *s, const char *name);

Suite *suite_query(void);
Suite *suite_format(void);
Suite *suite_jsonparse(void);
Suite *suite_core(void);

#endif
