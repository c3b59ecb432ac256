package dev.custos.approval;

import dev.custos.access.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link WithdrawalStore} in memory. */
public final class InMemoryWithdrawalStore implements WithdrawalStore {
  private record Spend(CustomerId account, String asset, BigDecimal amount, Instant at) {}

  private record Change(CustomerId account, WithdrawalFacts.SecurityChange change) {}

  private final Map<List<String>, Instant> whitelist = new ConcurrentHashMap<>();
  private final List<Spend> spends = new CopyOnWriteArrayList<>();
  private final List<Change> changes = new CopyOnWriteArrayList<>();

  @Override
  public Optional<Instant> whitelistedAt(CustomerId account, String asset, String destination) {
    return Optional.ofNullable(whitelist.get(List.of(account.value(), asset, destination)));
  }

  @Override
  public void whitelist(CustomerId account, String asset, String destination, Instant at) {
    whitelist.putIfAbsent(List.of(account.value(), asset, destination), at);
  }

  @Override
  public BigDecimal spentSince(CustomerId account, String asset, Instant since) {
    return spends.stream().filter(s -> s.account().equals(account) && s.asset().equals(asset) && !s.at().isBefore(since))
        .map(Spend::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Override
  public void recordSpend(CustomerId account, String asset, BigDecimal amount, Instant at) {
    spends.add(new Spend(account, asset, amount, at));
  }

  @Override
  public List<WithdrawalFacts.SecurityChange> changesSince(CustomerId account, Instant since) {
    List<WithdrawalFacts.SecurityChange> out = new ArrayList<>();
    for (Change c : changes) {
      if (c.account().equals(account) && !c.change().at().isBefore(since)) {
        out.add(c.change());
      }
    }
    return out;
  }

  @Override
  public void recordChange(CustomerId account, String kind, Instant at) {
    changes.add(new Change(account, new WithdrawalFacts.SecurityChange(kind, at)));
  }
}
