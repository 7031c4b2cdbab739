/*
** accept.h: content negotiation for uitleg (RFC 9110 section 12.5.1): does the client's Accept
** header prefer the HTML page to the explanation JSON?
*/
#ifndef DAGLOON_SERVE_ACCEPT_H
#define DAGLOON_SERVE_ACCEPT_H

typedef enum accept_choice { ACCEPT_JSON, ACCEPT_HTML, ACCEPT_NONE } accept_choice;

/*
** For an Accept header (NULL: none sent): ACCEPT_HTML when text/html's quality is higher than
** application/json's, ACCEPT_JSON when JSON's is at least as high and above 0 (also for no
** header), ACCEPT_NONE (406) when both are 0. Each type takes the quality of the most specific
** range that matches it (text/html over text/ over * / *); a malformed q counts as 1, a range
** that is not type/subtype is skipped.
*/
accept_choice accept_html_or_json(const char *accept);

#endif
