/**
 * Decoy customers: synthetic, plausible customer records that no real ticket ever names, generated
 * deterministically from a seed, and the per-staff assignment that says which decoys a member of
 * staff may meet (so that a leaked list containing a decoy names its viewer). Storage, encryption
 * of the decoy list and the broker's use of it are wired by the server; see docs/detection.md.
 */
package dev.custos.decoy;
