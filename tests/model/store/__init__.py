"""Tests of model/store."""
