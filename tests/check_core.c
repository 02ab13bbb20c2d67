/* check_core: tests of the core's resource, body, search and SQL layers
 * (filled in with those modules). */

#include "check_abtc.h"

Suite *suite_core(void)
{
    return suite_create("core");
}
