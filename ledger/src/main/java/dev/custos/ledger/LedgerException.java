package dev.custos.ledger;

import java.io.IOException;

/**
 * The ledger could not do what was asked because of storage or infrastructure: an I/O error, a
 * missing or malformed tile, a ledger that is closed or failed.
 *
 * <p>Callers MUST treat it as "not recorded": an access whose append threw this MUST be denied.
 * The message names the state and the file involved; it never contains key material or entries.
 */
public final class LedgerException extends IOException {

    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
