"""Views of outcomes; every view is wrapped in neighbourhoods.access.require."""
