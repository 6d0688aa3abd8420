"""Tests of model/fitting."""
