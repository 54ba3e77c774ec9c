// A static page does not know its session until the creator pastes it in. This example reads it
// from the query string (?session=ses_…&key=pk_…&api=https://…&buyer=…) so it runs against any
// server; a real page writes the attributes straight into its HTML:
//   <livedrop-checkout session="ses_…" publishable-key="pk_…" base-url="https://api…"></livedrop-checkout>
const params = new URLSearchParams(location.search);
const widget = document.createElement('livedrop-checkout');
widget.setAttribute('session', params.get('session') ?? '');
widget.setAttribute('publishable-key', params.get('key') ?? '');
widget.setAttribute('base-url', params.get('api') ?? '');
if (params.get('buyer')) widget.setAttribute('buyer-id', params.get('buyer'));
document.getElementById('shop').append(widget);
