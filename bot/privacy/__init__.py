"""A parent's own data: what the city keeps about them (「わたしのデータ」), and forgetting it on
request (APPI: the right to have one's data deleted)."""
