/* main.c - the indexer command (work in progress). */
#include <stdio.h>
int main(void)
{
    fprintf(stderr, "indexer: not built yet\n");
    return 2;
}
