"""ShopOps: the e-commerce operator's workbench (电商运营工作台)."""

__version__ = "0.1.0"
