FROM alpine
LABEL empty=""
LABEL eq="a=b=c" url=https://example.com/?q=1&x=2
LABEL "key with spaces"="value with spaces" 'single'='quoted'
LABEL json='{"a": [1, 2]}'
LABEL unicode="héllo ✓"
