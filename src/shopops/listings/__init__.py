"""Listings and competitors (商品上架与优化, 竞品跟踪): each platform's title and page rules, keyword mining from
the shop's own search terms, title suggestions with history, listing scores, rivals' prices, titles and images
(docs/architecture.md#listings)."""
