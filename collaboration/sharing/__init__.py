"""The sharing board (delebørs): services.py holds its rules, forms.py and views.py its
pages, demo.py the demo house's posts."""
