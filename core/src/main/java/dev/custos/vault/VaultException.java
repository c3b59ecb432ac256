package dev.custos.vault;

/**
 * The vault refused or could not do what was asked. Subclasses say why; callers fail closed on any
 * of them (no data leaves). Messages name customers and fields, never values or key material.
 */
public class VaultException extends RuntimeException {
  public VaultException(String message) {
    super(message);
  }

  public VaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
