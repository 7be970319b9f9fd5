"""The collaboration log: services.py holds its rules, forms.py and views.py its pages."""
