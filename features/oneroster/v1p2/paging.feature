Feature: OneRoster 1.2 paging
  limit/offset paging, X-Total-Count and Link headers, stable order; every walk keeps only hashes
  of the sourcedIds it saw.

  Background:
    Given the OneRoster 1.2 provider under test

  @req:OR12-SP-PAGE-001 @must @spec:or12-oas#getAllUsers
  Scenario: Collection pages carry X-Total-Count
    Then every collection page carries an X-Total-Count of at least its items

  @req:OR12-SP-PAGE-002 @must @spec:or12-oas#getAllUsers
  Scenario: X-Total-Count is constant and exact
    Then X-Total-Count is constant across pages and equals the objects walked

  @req:OR12-SP-PAGE-003 @must @spec:or12-rb#pagination
  Scenario: Small pages return every user exactly once
    Then walking the users with small pages returns every user exactly once

  @req:OR12-SP-PAGE-004 @must @spec:or12-oas#getAllUsers
  Scenario: The default page size is 100
    Then without a limit the users collection returns the default page of 100

  @req:OR12-SP-PAGE-005 @must @spec:or12-oas#getAllUsers
  Scenario: limit and offset select the right window
    Then limit and offset select the right window

  @req:OR12-SP-PAGE-006 @must @spec:or12-oas#getAllUsers
  Scenario: An offset past the end returns an empty page
    Then an offset past the end returns an empty page

  @req:OR12-SP-PAGE-007 @must @spec:or12-rb#pagination
  Scenario: The order is stable between walks
    Then walking the users twice gives the same sequence

  @req:OR12-SP-PAGE-008 @should @spec:or12-oas#getAllUsers
  Scenario: Link relations are present as needed
    Then every collection page carries next, first, last and prev links as needed

  @req:OR12-SP-PAGE-009 @should @spec:rfc8288#3
  Scenario: Link headers are well formed
    Then every Link header is well formed

  @req:OR12-SP-PAGE-010 @should @spec:or12-oas#getAllUsers
  Scenario: Next links lead to the following page
    Then the next links of a filtered, sorted walk lead to the following pages

  @req:OR12-SP-PAGE-011 @should @spec:or12-oas#getAllUsers
  Scenario: Invalid paging values are refused
    Then invalid paging values are refused with 400
