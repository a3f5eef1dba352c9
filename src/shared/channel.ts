// Names shared by the guard (MAIN world) and the relay (ISOLATED world) for
// their one-time handshake at document_start. The relay runs second (manifest
// order), creates a MessageChannel and offers one port to the guard in a
// synchronous MessageEvent on `document`; the frame's site travels in
// `lastEventId`, a plain string, because arbitrary `data` does not cross
// worlds reliably. After the first offer both sides ignore any other.
export const OFFER_EVENT = 'untapped-port-offer';
