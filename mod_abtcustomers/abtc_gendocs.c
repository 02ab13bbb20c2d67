/* abtc-gendocs: prints the SQL functions that build the list documents
 * (sql/R_documents.sql) from the tables of abtc_resource.c. */

#include "abtc_sql.h"

#include <apr_general.h>
#include <stdio.h>

int main(void)
{
    apr_pool_t *p;

    apr_initialize();
    apr_pool_create(&p, NULL);
    fputs(abtc_sql_document_functions(p), stdout);
    apr_pool_destroy(p);
    apr_terminate();
    return 0;
}
