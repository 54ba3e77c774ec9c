// A static page does not know its session until the creator pastes it in. This example reads it
// from the query string (?session=ses_…&key=pk_…&api=https://…&buyerSession=bs_…) so it runs against
// any server; a real page writes the attributes straight into its HTML, with the buyer session its
// platform's backend minted for the signed-in buyer (POST /v1/buyer-sessions, secret key):
//   <livedrop-checkout session="ses_…" publishable-key="pk_…" base-url="https://api…"></livedrop-checkout>
const params = new URLSearchParams(location.search);
const widget = document.createElement('livedrop-checkout');
widget.setAttribute('session', params.get('session') ?? '');
widget.setAttribute('publishable-key', params.get('key') ?? '');
widget.setAttribute('base-url', params.get('api') ?? '');
if (params.get('buyerSession')) widget.setAttribute('buyer-session', params.get('buyerSession'));
document.getElementById('shop').append(widget);
