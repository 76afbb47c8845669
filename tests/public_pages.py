"""The public pages every budget, accessibility and phone test walks (without language prefix)."""

PUBLIC_PATHS = [
    "",
    "about/",
    "initiatives/",
    "why-online-first/",
    "leadership/",
    "news/",
    "news/welcome-to-the-new-site/",
    "news/tag/community/",
    "code-of-conduct/",
    "experts/",
    "fund/",
    "communities/",
    "communities/sponsored/",
    "insights/",
    "accounts/signup/",
    "accounts/login/code/",
]
