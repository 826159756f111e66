/* main.c - searchd (work in progress). */
#include <stdio.h>
int main(void)
{
    fprintf(stderr, "searchd: not built yet\n");
    return 2;
}
