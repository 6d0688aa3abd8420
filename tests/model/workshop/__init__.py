"""Tests of model/workshop."""
