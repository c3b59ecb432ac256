package dev.custos.approval;

import dev.custos.access.StaffSubject;
import java.util.Objects;

/**
 * A member of staff taking part in an approval, with the person behind the account: two accounts
 * of one human (linked by the identity provider) have the same {@code person}, so they count once
 * and cannot approve each other's requests.
 *
 * @param subject the account as the server resolved it
 * @param person a stable key of the human; by default the staff id itself ({@link #of})
 */
public record Participant(StaffSubject subject, String person) {
  public Participant {
    Objects.requireNonNull(subject, "subject");
    if (person == null || person.isBlank() || person.length() > 128) {
      throw new IllegalArgumentException("person must be 1-128 characters");
    }
  }

  /** A participant whose account is their only identity. */
  public static Participant of(StaffSubject subject) {
    return new Participant(subject, subject.id().value());
  }
}
