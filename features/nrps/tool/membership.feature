Feature: Names and Role Provisioning — the tool's membership requests
  A learner launches with the NRPS claim (context_memberships_url, service_versions 2.0);
  Plugfest then calls the tool's advantage hook, which makes the tool read the course roster now.
  Plugfest serves the roster one member per page, each page but the last with a
  Link rel="next" (NRPS §2.4.2), and records every request. A tool whose config does not list
  "nrps" in `services` gets not-applicable; without `advantage_hook_url` these checks are not
  assessed.

  Background:
    Given the tool offers NRPS
    And the tool's answers to launches can be read
    When a learner launch carrying the service claims is accepted and the tool's advantage hook is called

  @req:NRPS-TOOL-001 @should @spec:lti-nrps-2.0#2.4
  Scenario: Membership requests ask for the membership container media type
    Then every membership request asks for the membership container media type

  @req:NRPS-TOOL-002 @must @spec:lti-core-1.3#6.2
  Scenario: Membership requests carry a token from the platform's token endpoint
    Then every membership request carries a token from the platform's token endpoint

  @req:NRPS-TOOL-003 @must @spec:lti-nrps-2.0#3.6.1.2
  Scenario: Membership requests carry a token with the membership scope
    Then every membership request carries a token with the membership scope

  @req:NRPS-TOOL-004 @should @spec:lti-nrps-2.0#2.4.2
  Scenario: The tool reads every page of the membership
    Then the tool reads every page of the membership by following the next links
