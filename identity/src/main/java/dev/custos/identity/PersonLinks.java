package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which human is behind a staff account, when an administrator linked it: two accounts of one
 * person (say a local break-glass account and a single-sign-on account, or an account per region)
 * carry the same person key, so separation of duties sees one human — they count once towards a
 * quorum and never approve each other's requests. An account without a link is its own person.
 */
public interface PersonLinks {
  /** A person key: an employee number or the identity provider's subject, 1-128 printable characters. */
  Pattern PERSON = Pattern.compile("[\\p{Graph}][\\p{Graph} ]{0,127}");

  /** The person behind {@code staff}, if linked. */
  Optional<String> person(StaffId staff);

  /**
   * Links {@code staff} to {@code person}, or removes the link (empty).
   *
   * @return false when there is no such account
   * @throws IllegalArgumentException when the person key is not one
   */
  boolean link(StaffId staff, Optional<String> person);

  /** Checks a person key; the message names the field. */
  static String requirePerson(String person) {
    if (person == null || !PERSON.matcher(person).matches() || !person.equals(person.strip())) {
      throw new IllegalArgumentException("person must be 1-128 printable characters without leading or trailing spaces");
    }
    return person;
  }
}
