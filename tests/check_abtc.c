/* check_abtc: runs every suite of the core's unit tests. */

#include <stdlib.h>

#include <apr_general.h>

#include "check_abtc.h"

apr_pool_t *abtc_test_pool;

void abtc_test_pool_setup(void)
{
    ck_assert_int_eq(apr_pool_create(&abtc_test_pool, NULL), APR_SUCCESS);
}

void abtc_test_pool_teardown(void)
{
    apr_pool_destroy(abtc_test_pool);
    abtc_test_pool = NULL;
}

TCase *abtc_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, abtc_test_pool_setup,
                              abtc_test_pool_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

int main(void)
{
    SRunner *sr;
    int failed;

    if (apr_initialize() != APR_SUCCESS) {
        return EXIT_FAILURE;
    }
    atexit(apr_terminate);

    sr = srunner_create(suite_query());
    srunner_add_suite(sr, suite_format());
    srunner_add_suite(sr, suite_jsonparse());
    srunner_add_suite(sr, suite_core());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
