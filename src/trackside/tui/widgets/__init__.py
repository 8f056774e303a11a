"""Small reusable widgets of the session screen: big text, headline, window bar, rep strip."""
