"""Tests of model/churn."""
