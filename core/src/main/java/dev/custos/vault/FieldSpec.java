package dev.custos.vault;

import dev.custos.access.Role;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One field of the catalogue: how sensitive it is, how it is masked by default, which roles see it
 * (masked) and which of those may reveal it (unmasked, with a reason and a recent second factor).
 * A role not among {@code viewers} does not see the field at all.
 *
 * @param field the field's name
 * @param classification how sensitive it is
 * @param defaultMask how it is shown to viewers without a reveal; never {@link Mask#NOT_SHOWN}
 *     (leave the role out of {@code viewers} instead)
 * @param viewers roles that see the field, masked
 * @param revealers roles that may reveal it; each must also be a viewer
 */
public record FieldSpec(Field field, Classification classification, Mask defaultMask, Set<Role> viewers,
    Set<Role> revealers) {
  public FieldSpec {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(defaultMask, "defaultMask");
    viewers = viewers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(viewers));
    revealers = revealers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(revealers));
    if (defaultMask == Mask.NOT_SHOWN) {
      throw new IllegalArgumentException("field " + field + ": the default mask must not be not-shown; "
          + "leave roles out of the viewers instead");
    }
    for (Role r : revealers) {
      if (!viewers.contains(r)) {
        throw new IllegalArgumentException("field " + field + ": role " + r.wireName()
            + " may reveal it but is not among its viewers");
      }
    }
  }

  /** Whether {@code role} sees this field at all. */
  public boolean visibleTo(Role role) {
    return viewers.contains(role);
  }

  /** Whether {@code role} may reveal this field unmasked. */
  public boolean revealableBy(Role role) {
    return revealers.contains(role);
  }
}
