"""Views of conversations; every view is wrapped in neighbourhoods.access.require."""
